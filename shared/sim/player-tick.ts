import type { Customer, GameState, Player } from './state.ts';
import type { WakeCache } from './wake-cache.ts';
import { SECONDS_PER_TICK } from './constants.ts';
import { routeCustomer, type LiveLines } from './routing.ts';
import { advanceTo, arrive, type Moment } from './stand-service.ts';
import { refreshStand } from './wake-cache.ts';
import { lbWorking, notebookWorking } from './topology.ts';

/**
 * The lines of the business being ticked, kept exact at each arrival (routing.ts's LiveLines), and the
 * moment they are brought to (stand-service.ts's Moment). One object reused for every business, so the
 * balancer's calls stay monomorphic and nothing is allocated.
 */
class TickLines implements LiveLines, Moment {
  state!: GameState;
  p!: Player;
  cache!: WakeCache;
  t = 0.5;
  hop = 0.5;

  sync(i: number): void {
    const s = this.p.stands[i]!;
    advanceTo(this.state, this.p, s, this);
    refreshStand(this.cache, this.state.scenario, s, i);
  }
}

const lines = new TickLines();

/**
 * One tick (`tick`; state.tick may be elsewhere when a stretch of ticks is run business by business,
 * step.ts's stepMany) of one business: this tick's common customers in time order, each routed with the lines as
 * they are at its arrival (stands are brought up to that moment as needed), then every stand with
 * something due is brought to the end of the tick; then the rent, times `rentFactors[k]` (a float
 * passed in an array: as an argument it would be boxed on the heap at every call).
 */
export function tickPlayer(
  state: GameState,
  p: Player,
  arrivals: Customer[],
  rentFactors: Float64Array,
  k: number,
  cache: WakeCache,
  tick: number,
): void {
  const sc = state.scenario;
  const stands = p.stands;
  const wake = cache.wake;
  const hop = cache.hop;
  lines.state = state;
  lines.p = p;
  lines.cache = cache;
  lines.hop = hop;
  for (let a = 0; a < arrivals.length; a++) {
    const c = arrivals[a]!;
    lines.t = c.t;
    const to = routeCustomer(sc, p, c, tick, null, lines);
    if (typeof to === 'string') {
      p.m.lost[to]++;
      continue;
    }
    const s = stands[to]!;
    if (wake[to]! <= c.t) advanceTo(state, p, s, lines);
    arrive(state, p, s, c, lines);
    refreshStand(cache, sc, s, to);
  }
  const tEnd = (tick + 1) * SECONDS_PER_TICK;
  // Most stands have nothing due in most ticks: idle, or one cup blending on. Skip them, and skip the
  // whole business when none is due (nextWake bounds them all from below).
  if (cache.nextWake < tEnd) {
    lines.t = tEnd;
    let next = Infinity;
    const n = stands.length;
    for (let i = 0; i < n; i++) {
      let w = wake[i]!;
      if (w < tEnd) {
        lines.sync(i);
        w = wake[i]!;
      }
      if (w < next) next = w;
    }
    cache.nextWake = next;
  }

  const rent = stands.length * sc.prices.standRentPerSecond * SECONDS_PER_TICK * rentFactors[k]!;
  p.cash -= rent;
  p.m.rent += rent;
  p.m.capacitySeconds += cache.openCapacity * SECONDS_PER_TICK;
  p.m.activeTicks++;
  if (availableNow(p, tick, cache)) p.m.availableTicks++;
}

/**
 * topology.ts's isAvailable, with "is a stand open" read from the cache's open rates (rates are
 * positive) instead of the stand objects: statuses change only outside tickPlayer, which marks dirty.
 */
function availableNow(p: Player, tick: number, cache: WakeCache): boolean {
  if (!notebookWorking(p, tick)) return false;
  if (p.lbs.length === 0) return cache.stands > 0 && cache.openRate[0]! > 0;
  if (!lbWorking(p, tick)) return false;
  return cache.openCapacity > 0;
}
