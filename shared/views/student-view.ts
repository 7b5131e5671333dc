import type { GameState, Player } from '../sim/state.ts';
import type { StudentView } from '../protocol/views.ts';
import { REQUESTS_PER_CUP, SECONDS_PER_TICK } from '../sim/constants.ts';
import { currentDemand, surgeMultiplier } from '../sim/demand.ts';
import { businessView } from './business-view.ts';
import { shopItems } from './shop.ts';
import { recentBanners } from './banners.ts';
import { currentPhase } from './phase.ts';

export interface RoomFacts {
  paused: boolean;
  speed: number;
  hideScores: boolean;
  /** Rank of this player by profit, computed once per broadcast for the whole class. */
  rank: number | null;
}

/** A student's screen: their own business only, and their rank unless the teacher hides scores. */
export function studentView(state: GameState, p: Player, room: RoomFacts): StudentView {
  return {
    tick: state.tick,
    seconds: state.tick * SECONDS_PER_TICK,
    durationSeconds: state.scenario.durationSeconds,
    status: state.status,
    paused: room.paused,
    speed: room.speed,
    phase: currentPhase(state),
    demand: currentDemand(state),
    surge: surgeMultiplier(state),
    salePercent: state.sale && state.sale.untilTick > state.tick ? state.sale.value : 0,
    rentMultiplier: state.rentRise && state.rentRise.untilTick > state.tick ? state.rentRise.value : 1,
    requestsPerCup: REQUESTS_PER_CUP,
    me: businessView(state, p),
    shop: shopItems(state, p),
    banners: recentBanners(state),
    rank: room.hideScores && state.status !== 'ended' ? null : room.rank,
    players: state.players.filter((x) => !x.removed).length,
  };
}
