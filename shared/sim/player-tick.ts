import type { Customer, GameState, Player } from './state.ts';
import type { WakeCache } from './wake-cache.ts';
import { SECONDS_PER_TICK } from './constants.ts';
import { routeCustomer, type LiveLines } from './routing.ts';
import { advanceTo, arrive } from './stand-service.ts';
import { aheadOf, wakeOf } from './wake-cache.ts';
import { lbWorking, notebookWorking } from './topology.ts';

/**
 * The lines of the business being ticked, kept exact at each arrival (routing.ts's LiveLines). One
 * object reused for every business, so the balancer's calls stay monomorphic and nothing is allocated.
 */
class TickLines implements LiveLines {
  state!: GameState;
  p!: Player;
  cache!: WakeCache;
  hop = 0;

  sync(i: number, t: number): void {
    const s = this.p.stands[i]!;
    const cache = this.cache;
    advanceTo(this.state, this.p, s, t, this.hop);
    const w = wakeOf(this.state.scenario, s);
    cache.wake[i] = w;
    if (w < cache.nextWake) cache.nextWake = w;
    cache.ahead[i] = aheadOf(s);
  }
}

const lines = new TickLines();

/**
 * One tick (`tick`; state.tick may be elsewhere when a stretch of ticks is run business by business,
 * step.ts's stepMany) of one business: this tick's common customers in time order, each routed with the lines as
 * they are at its arrival (stands are brought up to that moment as needed), then every stand with
 * something due is brought to the end of the tick; then the rent.
 */
export function tickPlayer(
  state: GameState,
  p: Player,
  arrivals: Customer[],
  rentFactor: number,
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
  for (let k = 0; k < arrivals.length; k++) {
    const c = arrivals[k]!;
    const to = routeCustomer(sc, p, c, tick, null, lines);
    if (typeof to === 'string') {
      p.m.lost[to]++;
      continue;
    }
    const s = stands[to]!;
    if (wake[to]! <= c.t) advanceTo(state, p, s, c.t, hop);
    arrive(state, p, s, c, hop);
    const w = wakeOf(sc, s);
    wake[to] = w;
    if (w < cache.nextWake) cache.nextWake = w;
    cache.ahead[to] = aheadOf(s);
  }
  const tEnd = (tick + 1) * SECONDS_PER_TICK;
  // Most stands have nothing due in most ticks: idle, or one cup blending on. Skip them, and skip the
  // whole business when none is due (nextWake bounds them all from below).
  if (cache.nextWake < tEnd) {
    let next = Infinity;
    const n = stands.length;
    for (let i = 0; i < n; i++) {
      let w = wake[i]!;
      if (w < tEnd) {
        lines.sync(i, tEnd);
        w = wake[i]!;
      }
      if (w < next) next = w;
    }
    cache.nextWake = next;
  }

  const rent = stands.length * sc.prices.standRentPerSecond * SECONDS_PER_TICK * rentFactor;
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
