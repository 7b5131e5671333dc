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
  return { state, player, room: (o.plan ??= roomPlan(state, o)) };
}
