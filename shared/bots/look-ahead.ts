import type { GameState, Player, TimedEffect } from '../sim/state.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { durationTicks } from '../sim/step.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { BOT_DECISION_TICKS, type Bot } from './bot.ts';
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
 * test/unit/determinism.test.ts checks the outcome: the same log and hashes as every bot deciding every
 * second, tick by tick.
 */

/**
 * A stretch is at most this many ticks (step.ts's MAX_STRETCH) and ends before the next scheduled event:
 * looking past its end is wasted work (not wrong: the next stretch starts with every bot deciding).
 */
export const STRETCH_TICKS = 500;

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

export class LookAhead {
  private readonly moments = new Map<number, MomentAhead>();

  /**
   * The tick of a bot's next turn after it decided to do nothing at `tick` (not for want of cash), with
   * the room and its business as they stand at that tick (`state`, inside the business's stretch, which
   * started at `stretchStart`).
   */
  nextTurn(state: GameState, p: Player, bot: Bot, tick: number, stretchStart: number): number {
    const schedule = state.scenario.schedule;
    const limit = Math.min(
      Math.ceil(p.nextTimer / BOT_DECISION_TICKS) * BOT_DECISION_TICKS,
      stretchStart + STRETCH_TICKS,
      state.scheduleIndex < schedule.length
        ? Math.round(schedule[state.scheduleIndex]!.atSeconds * TICKS_PER_SECOND)
        : Infinity,
      durationTicks(state),
    );
    let d = tick + BOT_DECISION_TICKS;
    while (d < limit) {
      const m = this.momentAt(state, d);
      if (
        bot({ state: m.state, player: p, room: m.room, cash: Infinity, ahead: true, short: false }).length > 0
      )
        break;
      d += BOT_DECISION_TICKS;
    }
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
