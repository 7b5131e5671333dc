import type { Customer, GameState, Player } from './state.ts';
import { MAX_STANDS, SECONDS_PER_TICK } from './constants.ts';
import { routeCustomer, type PendingByStand } from './routing.ts';
import { advanceStand } from './stand-service.ts';
import { aheadOf, wakeCache, wakeOf } from './wake-cache.ts';
import { hopSeconds, isAvailable } from './topology.ts';

const pending: PendingByStand = {
  lists: [],
  count: [],
  bestRate: 0,
  ahead: new Int32Array(0),
  openRate: new Float64Array(0),
};
for (let i = 0; i < MAX_STANDS; i++) {
  pending.lists.push([]);
  pending.count.push(0);
}

/** One tick of one business: route this tick's common customers, run every stand, pay the rent. */
export function tickPlayer(state: GameState, p: Player, arrivals: Customer[], rentFactor: number): void {
  const sc = state.scenario;
  const tick = state.tick;
  const stands = p.stands;
  const count = pending.count;
  for (let i = 0; i < stands.length; i++) count[i] = 0;
  const cache = wakeCache(sc, p);
  const wake = cache.wake;
  pending.bestRate = cache.bestRate;
  pending.ahead = cache.ahead;
  pending.openRate = cache.openRate;
  for (const c of arrivals) {
    const to = routeCustomer(sc, p, c, tick, null, pending);
    if (typeof to === 'string') {
      p.m.lost[to]++;
      continue;
    }
    pending.lists[to]![count[to]!++] = c;
  }
  const tStart = tick * SECONDS_PER_TICK;
  const tEnd = (tick + 1) * SECONDS_PER_TICK;
  const hop = hopSeconds(sc, p);
  for (let i = 0; i < stands.length; i++) {
    // Most stands have nothing to do in most ticks: idle, or one cup blending on (canSkip, read from
    // the wake cache). Skip them.
    if (count[i] === 0 && wake[i]! >= tEnd) continue;
    const s = stands[i]!;
    advanceStand(state, p, s, pending.lists[i]!, count[i]!, tStart, tEnd, hop);
    wake[i] = wakeOf(sc, s);
    cache.ahead[i] = aheadOf(s);
  }

  const rent = stands.length * sc.prices.standRentPerSecond * SECONDS_PER_TICK * rentFactor;
  p.cash -= rent;
  p.m.rent += rent;
  p.m.activeTicks++;
  if (isAvailable(p, tick)) p.m.availableTicks++;
}
