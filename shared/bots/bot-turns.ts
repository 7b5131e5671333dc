import type { BotKind, Command } from '../sim/commands.ts';
import type { GameState, Player } from '../sim/state.ts';
import type { RecordedGame } from '../sim/recorded-game.ts';
import { CommandTurns } from '../sim/command-turns.ts';
import { BOT_DECISION_TICKS, botView, NO_COMMANDS } from './bot.ts';
import { botActs, botCommands, botRule } from './index.ts';
import { BOT_NAMES } from './bot-profiles.ts';
import { LookAhead } from './look-ahead.ts';

/** A reference bot seated in a game: its player id and the name the class sees. */
export interface BotSeat {
  id: string;
  name: string;
  kind: BotKind;
}

/** Player id of the n-th bot of a game: stable, so scripts and tests can refer to it. */
export const botPlayerId = (index: number): string => `bot-${index + 1}`;

/**
 * The bots of a game, named once for every kind of game (a live room, the CLI, tests): the first of a
 * kind by its name, the next ones numbered ("Hybrid Hal 2"), within the 24 characters of a nickname.
 */
export function botSeats(kinds: readonly BotKind[]): BotSeat[] {
  const counts = new Map<BotKind, number>();
  return kinds.map((kind, i) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    const name = n > 1 ? `${BOT_NAMES[kind]} ${n}`.slice(0, 24) : BOT_NAMES[kind];
    return { id: botPlayerId(i), name, kind };
  });
}

/**
 * One tick of a game that has bots: the bots decide (at most once per tick, so a room rebuilt in the
 * middle of a tick does not let them decide twice), then the game advances. The live room's tick loop
 * and the headless bot game both turn this same crank.
 */
export class BotTurns {
  private decidedAt = -1;

  /** A game rebuilt from its log may sit at a tick whose bot commands are already in the log. */
  constructor(private readonly game: RecordedGame) {
    const s = game.state;
    const bots = new Set(s.players.filter((p) => p.bot !== null).map((p) => p.id));
    const entries = game.log.commands;
    for (let i = entries.length - 1; i >= 0 && entries[i]!.tick === s.tick; i--) {
      const c = entries[i]!.cmd;
      if (c.type !== 'join' && 'playerId' in c && bots.has(c.playerId)) this.decidedAt = s.tick;
    }
  }

  /**
   * The bots decide (unless `decide` is false: a server's game whose log is at its cap), then the game
   * steps. Returns how many bot commands the game accepted.
   */
  tick(decide = true): number {
    const s = this.game.state;
    let accepted = 0;
    if (decide && this.decidedAt !== s.tick) {
      this.decidedAt = s.tick;
      for (const c of botCommands(s)) if (this.game.submit(c, true).ok) accepted++;
    }
    this.game.advance();
    return accepted;
  }
}

/**
 * The bots of a headless game deciding inside their businesses' stretches (RecordedGame.advanceMany):
 * each bot at its decision ticks, from the room and its own business as they are at that tick, with
 * the same commands, results and log as BotTurns turning the crank tick by tick (a bot reads nothing of
 * the other businesses: test/unit/determinism.test.ts compares the two). A bot that decides to do
 * nothing skips the decision ticks at which it would do nothing again (look-ahead.ts): if it is saving
 * up, those at which its cash is still short (step.ts's stepMany compares it, cashAtLeast).
 */
export class BotStretchTurns extends CommandTurns {
  override readonly cashEvery = BOT_DECISION_TICKS;
  private readonly ahead = new LookAhead();
  /** The last decision's moment, and whether it was to do nothing: not for want of cash (idle), or for want of it. */
  private state: GameState | null = null;
  private idle = false;
  private saving = false;
  private stretchStart = 0;
  /** Each business's cash at its bot's last turn, and that turn's tick: the pace at which it earns. */
  private readonly last = new Map<Player, { tick: number; cash: number }>();

  override begin(tick: number): void {
    super.begin(tick);
    this.stretchStart = tick;
  }

  /**
   * Every stretch starts with every bot deciding (at its first decision tick): look-ahead.ts counts on
   * it, as the room may have changed between stretches.
   */
  first(p: Player, _i: number, from: number): number {
    // A business whose bot never acts has no turns: its stretch runs without a stop every second.
    return botActs(p) ? Math.ceil(from / BOT_DECISION_TICKS) * BOT_DECISION_TICKS : Infinity;
  }

  protected decide(state: GameState, p: Player): readonly Command[] {
    const bot = botRule(p);
    if (bot === null) return NO_COMMANDS; // (first() gives it no turns)
    const view = botView(state, p);
    const cmds = bot(view);
    this.state = state;
    this.idle = cmds.length === 0 && !view.short;
    this.saving = cmds.length === 0 && view.short;
    return cmds;
  }

  protected next(p: Player, tick: number): number {
    this.cashAtLeast = Infinity;
    const earning = this.earning(p, tick);
    const bot = this.idle || this.saving ? botRule(p) : null;
    if (bot === null) return tick + BOT_DECISION_TICKS;
    if (this.idle) return this.ahead.nextTurn(this.state!, p, bot, tick, this.stretchStart);
    const at = this.ahead.savingTurn(this.state!, p, bot, tick, this.stretchStart, earning);
    this.cashAtLeast = this.ahead.need;
    return at;
  }

  /**
   * Cash a tick since the business's previous turn (0: none), and this turn's noted: after its commands,
   * so that the pace is what it earned, not what it spent.
   */
  private earning(p: Player, tick: number): number {
    const seen = this.last.get(p);
    if (seen === undefined) {
      this.last.set(p, { tick, cash: p.cash });
      return 0;
    }
    const pace = tick > seen.tick ? (p.cash - seen.cash) / (tick - seen.tick) : 0;
    seen.tick = tick;
    seen.cash = p.cash;
    return pace;
  }
}
