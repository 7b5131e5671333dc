import type { GameState, Player, TimedEffect } from '../sim/state.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { durationTicks, MAX_STRETCH } from '../sim/step.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { BOT_DECISION_TICKS, type Bot, type BotView } from './bot.ts';
import { outlook } from './foresight.ts';
import { roomPlan, type RoomPlan } from './room-plan.ts';

/**
 * Looking past the seconds in which a bot will do nothing. Most of a bot's decisions are to do nothing,
 * and for reasons that hold for a while: it has the capacity the foreseeable demand needs and none to
 * spare, its one stand is being swapped, its blender is the biggest. Each decision a bot makes inside
 * its business's stretch stops that stretch (step.ts's stepMany), and the stops, not the decisions,
 * were most of what the bots cost a game. So a bot that decided to do nothing, and not for want of cash,
 * is asked at once what it will decide at the following decision ticks, and its next turn is the first
 * of them at which the answer might be something.
 *
 * Why the answer is the real decision's, wherever it is "nothing": a bot reads the room's plan, its
 * business's stands, balancers, notebook and replica, its cash and, to pick a stand to sell, the lines
 * at its stands. Until the tick asked about (inside one stretch, and before the business's next timer):
 * - the room changes only as its running surges and sale run out, and the plan at a tick checks their
 *   ends itself (foresight.ts, ledger.ts's salePrice): anything else that changes the room for everyone
 *   (a teacher's event, a scheduled one, a chaos strike, a join or a kick) ends the stretch, and each
 *   stretch starts with every bot deciding (BotStretchTurns.first);
 * - the business's stands, balancers, notebook and replica change only at its own commands (none: it
 *   decided to do nothing) and its timers (builds, swaps, repairs), and its next turn is no later than
 *   the decision tick at or after its next timer;
 * - its cash and its lines are not known, so the bot is asked with unlimited cash (cash only ever holds
 *   a bot back: bot.ts's affords) and about any lines (capacity-plan.ts's standToSell).
 *
 * A bot that decided to do nothing for want of cash (saving up) is asked the same about the following
 * decision ticks, with no cash at all (-Infinity): every `affords` test fails, and where the answer is
 * still nothing, it is the real answer for any cash below the least amount tested (bot.ts's `affords`:
 * the same tests fail, so the bot takes the same path). Its next turn is then at the first of those
 * ticks at which its cash, as its business's stretch leaves it there, is at least the least such amount
 * over all of them (step.ts's stepMany compares it at each), else at the first tick whose answer may be
 * something. Where the amounts move (a sale running out changes the prices), the least of them counts.
 *
 * test/unit/determinism.test.ts and test/unit/bots-look-ahead.test.ts check the outcome: the same log and
 * hashes as every bot deciding every second, tick by tick.
 */

/**
 * A stretch is at most MAX_STRETCH ticks and ends before the next scheduled event: looking past its end is
 * wasted work (not wrong: the next stretch starts with every bot deciding).
 */

/**
 * The room as it will stand at a later decision tick of the stretch, and its plan. The plan reads the
 * scenario, the tick, the schedule's progress, the running surges and the sale: a moment is kept with
 * what it was built from (the surges and the sale that can still count at its tick), so that a later
 * stretch, where the teacher may have changed them, builds its own.
 */
interface MomentAhead {
  scenario: Scenario;
  scheduleIndex: number;
  /** The sale's discount at the tick (0: none). */
  discount: number;
  /** The surges that can count at the tick or later, in order. */
  surges: TimedEffect[];
  state: GameState;
  room: RoomPlan;
}

/** Surges that may count at `tick` or later: foresight.ts ignores those whose end is before it. */
const mayCount = (s: TimedEffect, tick: number): boolean => s.untilTick > tick - 1;

function discountAt(state: GameState, tick: number): number {
  return state.sale !== null && state.sale.untilTick > tick ? state.sale.value : 0;
}

function sameSurges(kept: TimedEffect[], surges: TimedEffect[], tick: number): boolean {
  let j = 0;
  for (const s of surges) if (mayCount(s, tick) && kept[j++] !== s) return false;
  return j === kept.length;
}

/**
 * The end of what a turn can look past: the decision tick at or after the business's next timer, the
 * stretch's end (at most) and the next scheduled event, the game's end.
 */
function lookLimit(state: GameState, p: Player, stretchStart: number): number {
  const schedule = state.scenario.schedule;
  return Math.min(
    Math.ceil(p.nextTimer / BOT_DECISION_TICKS) * BOT_DECISION_TICKS,
    stretchStart + MAX_STRETCH,
    state.scheduleIndex < schedule.length
      ? Math.round(schedule[state.scheduleIndex]!.atSeconds * TICKS_PER_SECOND)
      : Infinity,
    durationTicks(state),
  );
}

/** A bot's view at a later moment of the stretch, with `cash` standing for the cash it will have then. */
function viewAhead(m: MomentAhead, p: Player, cash: number): BotView {
  return { state: m.state, player: p, room: m.room, cash, ahead: true, short: false, need: Infinity };
}

export class LookAhead {
  private readonly moments = new Map<number, MomentAhead>();
  /**
   * Set by savingTurn: the cash at which a saving bot's turn comes before the tick it returned (at a
   * decision tick; Infinity: none).
   */
  need = Infinity;

  /**
   * The tick of a bot's next turn after it decided to do nothing at `tick` (not for want of cash), with
   * the room and its business as they stand at that tick (`state`, inside the business's stretch, which
   * started at `stretchStart`).
   */
  nextTurn(state: GameState, p: Player, bot: Bot, tick: number, stretchStart: number): number {
    const limit = lookLimit(state, p, stretchStart);
    let d = tick + BOT_DECISION_TICKS;
    while (d < limit) {
      const m = this.momentAt(state, d);
      if (bot(viewAhead(m, p, Infinity)).length > 0) break;
      d += BOT_DECISION_TICKS;
    }
    return d;
  }

  /**
   * The same for a bot that decided to do nothing for want of cash at `tick`: the tick of its next turn
   * unless its cash reaches `this.need` at a decision tick before it. `earning`: about how much cash a
   * tick the business has been making (0 or less: not known). The ticks asked about stop where that pace
   * would have the cash (a turn then comes anyway, so asking further is wasted: 60% of the asking, with
   * no pace, in a 400-bot week). Any end is exact, since the turn at that end decides for real; the pace
   * only saves work.
   */
  savingTurn(
    state: GameState,
    p: Player,
    bot: Bot,
    tick: number,
    stretchStart: number,
    earning: number,
  ): number {
    const limit = lookLimit(state, p, stretchStart);
    let need = Infinity;
    let d = tick + BOT_DECISION_TICKS;
    while (d < limit) {
      const view = viewAhead(this.momentAt(state, d), p, -Infinity);
      if (bot(view).length > 0) break;
      if (view.need < need) need = view.need;
      d += BOT_DECISION_TICKS;
      if (earning > 0 && p.cash + earning * (d - tick) >= need) break;
    }
    this.need = need;
    return d;
  }

  /** The room at a later tick of the stretch that `state` (a moment of it) is in. */
  private momentAt(state: GameState, tick: number): MomentAhead {
    const discount = discountAt(state, tick);
    let m = this.moments.get(tick);
    if (
      m === undefined ||
      m.scenario !== state.scenario ||
      m.scheduleIndex !== state.scheduleIndex ||
      m.discount !== discount ||
      !sameSurges(m.surges, state.surges, tick)
    ) {
      if (this.moments.size >= 1024) this.moments.clear();
      // The room at `tick` differs from this moment's only in the tick, and in surges and a sale that
      // have run out by then, which the plan does not count at that tick.
      const at: GameState = { ...state, tick };
      m = {
        scenario: state.scenario,
        scheduleIndex: state.scheduleIndex,
        discount,
        surges: state.surges.filter((s) => mayCount(s, tick)),
        state: at,
        room: roomPlan(at, outlook(at)),
      };
      this.moments.set(tick, m);
    }
    return m;
  }
}
