import { effectsLeft, nextScheduled } from './effects-left.ts';
import type { GameState, Player } from '../sim/state.ts';
import type { SaveTrouble, StudentView } from '../protocol/views.ts';
import { REQUESTS_PER_CUP, SECONDS_PER_TICK } from '../sim/constants.ts';
import { currentDemand, surgeMultiplier } from '../sim/demand.ts';
import { businessView } from './business-view.ts';
import { shopItems } from './shop.ts';
import { recentBanners } from './banners.ts';
import { currentPhase } from './phase.ts';
import { visiblePlace, type Place } from './rank-sharing.ts';
import { headcountOf } from './headcount.ts';

export interface RoomFacts {
  paused: boolean;
  speed: number;
  hideScores: boolean;
  /** This player's place by profit (computed once per broadcast for the whole class), null when unranked. */
  place: Place | null;
}

export interface ClassFacts {
  paused: boolean;
  speed: number;
  hideScores: boolean;
  /** The room cannot save (shown as a banner). */
  cantSave?: SaveTrouble;
  /** That player's place in the class ranking, null when unranked. */
  placeOf: (playerId: string) => Place | null;
}

/**
 * Builds students' screens for one moment. The class-wide parts (demand, banners, the headcount) are
 * computed once, so a broadcast to a thousand students costs a thousand business views, not a million
 * steps. A student's view holds only their own business, and their rank unless the teacher hides scores.
 */
export class StudentViewBuilder {
  private readonly common: Omit<StudentView, 'me' | 'shop' | 'place'>;

  constructor(
    private readonly state: GameState,
    private readonly facts: ClassFacts,
  ) {
    const s = state;
    this.common = {
      tick: s.tick,
      seconds: s.tick * SECONDS_PER_TICK,
      durationSeconds: s.scenario.durationSeconds,
      status: s.status,
      paused: facts.paused,
      speed: facts.speed,
      phase: currentPhase(s),
      demand: currentDemand(s),
      surge: surgeMultiplier(s),
      salePercent: s.sale && s.sale.untilTick > s.tick ? s.sale.value : 0,
      rentMultiplier: s.rentRise && s.rentRise.untilTick > s.tick ? s.rentRise.value : 1,
      requestsPerCup: REQUESTS_PER_CUP,
      banners: recentBanners(s),
      left: effectsLeft(s),
      next: nextScheduled(s),
      players: headcountOf(s.players),
      ...(facts.cantSave ? { cantSave: facts.cantSave } : {}),
    };
  }

  view(p: Player): StudentView {
    return {
      ...this.common,
      me: businessView(this.state, p),
      shop: shopItems(this.state, p, this.facts.paused),
      place: visiblePlace(this.facts.hideScores, this.state.status, () => this.facts.placeOf(p.id)),
    };
  }
}

/** One student's view (replays, practice mode, tests). */
export function studentView(state: GameState, p: Player, room: RoomFacts): StudentView {
  return new StudentViewBuilder(state, {
    ...room,
    placeOf: () => room.place,
  }).view(p);
}
