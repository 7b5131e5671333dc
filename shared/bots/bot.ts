import type { GameState, Player } from '../sim/state.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { currentDemand } from '../sim/demand.ts';
import { blenderRate } from '../sim/topology.ts';
import { salePrice, upgradeBasePrice } from '../sim/ledger.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { outlook } from './foresight.ts';

/**
 * A reference bot is a pure function from what a player can see to the commands they would send.
 * Bots decide once a game second; their commands go through the log like anyone's, so a game with bots
 * replays exactly.
 */
export type Bot = (view: BotView) => PlayerCommand[];

/** What a bot looks at: the same facts a student's screen shows. */
export interface BotView {
  state: GameState;
  player: Player;
  demand: number;
  /** Cups/s of every stand bought, built or not. */
  planned: number;
  price: BotPrices;
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

export function botView(state: GameState, player: Player): BotView {
  const sc = state.scenario;
  let planned = 0;
  // The stands customers can reach: all of them behind a balancer, else the first.
  const stands = player.stands;
  const reach = player.lbs.length > 0 ? stands.length : Math.min(1, stands.length);
  for (let i = 0; i < reach; i++) {
    const s = stands[i]!;
    if (s.status !== 'failed') planned += blenderRate(sc, s.tier);
  }
  // The room's part, once per moment for every bot (a view per bot per second was most of the bots'
  // garbage in a 2,000-player game).
  const o = outlook(state);
  if (o.prices === null) {
    o.demand = currentDemand(state);
    o.prices = {
      stand: salePrice(state, sc.prices.stand),
      loadBalancer: salePrice(state, sc.prices.loadBalancer),
      notebook: salePrice(state, sc.prices.notebook),
      replica: salePrice(state, sc.prices.notebookReplica),
      // A method, not an arrow: tsx (esbuild keepNames) wraps each arrow made here in a defineProperty
      // call, which was 7% of a 400-player game's CPU (one view per bot per second).
      upgrade(tier) {
        const base = upgradeBasePrice(sc, tier);
        return base === null ? null : salePrice(state, base);
      },
    };
  }
  return { state, player, demand: o.demand, planned, price: o.prices };
}
