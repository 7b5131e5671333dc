import type { GameState, Player } from '../sim/state.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { currentDemand } from '../sim/demand.ts';
import { blenderRate } from '../sim/topology.ts';
import { salePrice, upgradeBasePrice } from '../sim/ledger.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';

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
  price: {
    stand: number;
    loadBalancer: number;
    notebook: number;
    replica: number;
    upgrade: (tier: number) => number | null;
  };
}

/** Bots act once a second, on the second. */
export const BOT_DECISION_TICKS = TICKS_PER_SECOND;

export function botView(state: GameState, player: Player): BotView {
  const sc = state.scenario;
  let planned = 0;
  const stands = player.lbs.length > 0 ? player.stands : player.stands.slice(0, 1);
  for (const s of stands) if (s.status !== 'failed') planned += blenderRate(sc, s.tier);
  return {
    state,
    player,
    demand: currentDemand(state),
    planned,
    price: {
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
    },
  };
}
