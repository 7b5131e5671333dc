import type { GameState, Player } from '../sim/state.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { outlook } from './foresight.ts';
import { roomPlan, type RoomPlan } from './room-plan.ts';

/**
 * A reference bot is a pure function from what a player can see to the commands they would send.
 * Bots decide once a game second; their commands go through the log like anyone's, so a game with bots
 * replays exactly. The commands returned are never changed afterwards: a bot with nothing to do returns
 * NO_COMMANDS, shared.
 */
export type Bot = (view: BotView) => readonly PlayerCommand[];

/** What a bot looks at: the same facts a student's screen shows. */
export interface BotView {
  state: GameState;
  player: Player;
  /** The room's part (demand, prices, what the foreseeable demand needs): the same for every bot at a moment. */
  room: RoomPlan;
  /**
   * The cash the bot may spend: the player's, or Infinity or -Infinity when it is asked what it will do
   * later (look-ahead.ts), as the cash then is not known. Bots read cash through `affords` only.
   */
  readonly cash: number;
  /** Asked about a later tick (look-ahead.ts): the lines at its stands then are not known either. */
  readonly ahead: boolean;
  /** Set by `affords` when a purchase the bot wanted was put off for want of cash. */
  short: boolean;
  /** The least amount `affords` found more than the cash (Infinity: none). */
  need: number;
}

/** The shop's prices now (a running sale included): the same for every bot at a moment. */
export interface BotPrices {
  readonly stand: number;
  readonly loadBalancer: number;
  readonly notebook: number;
  readonly replica: number;
  upgrade(tier: number): number | null;
}

/** Bots act once a second, on the second. */
export const BOT_DECISION_TICKS = TICKS_PER_SECOND;

/** A decision to do nothing (most of them): one frozen array, not a new one per bot per second. */
export const NO_COMMANDS: readonly PlayerCommand[] = Object.freeze([]);

export function botView(state: GameState, player: Player): BotView {
  // The room's part, once per moment for every bot (a view per bot per second was most of the bots'
  // garbage in a 2,000-player game).
  const o = outlook(state);
  return {
    state,
    player,
    room: (o.plan ??= roomPlan(state, o)),
    cash: player.cash,
    ahead: false,
    short: false,
    need: Infinity,
  };
}

/**
 * Can the bot pay `amount` now? A bot's one way to test its cash, so that a decision to do nothing can
 * say whether cash held it back (`view.short`) and by how much at least (`view.need`).
 *
 * The rules every bot keeps (look-ahead.ts relies on them):
 * - cash only ever holds a bot back. Where a bot cannot pay, it does what it would do anyway or
 *   nothing; so a bot that would do nothing with unlimited cash does nothing with any cash;
 * - a bot reads its cash here only (buyStands counts down the cash left after the stands it chose, so
 *   only once a test passed): its decision depends on its cash only through which of these tests pass,
 *   and a decision in which every test failed is the same for any cash below `view.need`.
 */
export function affords(view: BotView, amount: number): boolean {
  if (view.cash >= amount) return true;
  view.short = true;
  if (amount < view.need) view.need = amount;
  return false;
}
