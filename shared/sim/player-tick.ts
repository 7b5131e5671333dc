import type { Customer, GameState, Player } from './state.ts';
import type { WakeCache } from './wake-cache.ts';
import { SECONDS_PER_TICK } from './constants.ts';
import { routeCustomer, type LiveLines } from './routing.ts';
import { advanceTo, arrive } from './stand-service.ts';
import { aheadOf, wakeCache, wakeOf } from './wake-cache.ts';
import { hopSeconds, isAvailable } from './topology.ts';

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
    advanceTo(this.state, this.p, s, t, this.hop);
    this.cache.wake[i] = wakeOf(this.state.scenario, s);
    this.cache.ahead[i] = aheadOf(s);
  }
}

const lines = new TickLines();

/**
 * One tick of one business: this tick's common customers in time order, each routed with the lines as
 * they are at its arrival (stands are brought up to that moment as needed), then every stand with
 * something due is brought to the end of the tick; then the rent.
 */
export function tickPlayer(state: GameState, p: Player, arrivals: Customer[], rentFactor: number): void {
  const sc = state.scenario;
  const tick = state.tick;
  const stands = p.stands;
  const cache = wakeCache(sc, p);
  const wake = cache.wake;
  const hop = hopSeconds(sc, p);
  lines.state = state;
  lines.p = p;
  lines.cache = cache;
  lines.hop = hop;
  for (const c of arrivals) {
    const to = routeCustomer(sc, p, c, tick, null, lines);
    if (typeof to === 'string') {
      p.m.lost[to]++;
      continue;
    }
    const s = stands[to]!;
    if (wake[to]! <= c.t) advanceTo(state, p, s, c.t, hop);
    arrive(state, p, s, c, hop);
    wake[to] = wakeOf(sc, s);
    cache.ahead[to] = aheadOf(s);
  }
  const tEnd = (tick + 1) * SECONDS_PER_TICK;
  for (let i = 0; i < stands.length; i++) {
    // Most stands have nothing due in most ticks: idle, or one cup blending on. Skip them.
    if (wake[i]! >= tEnd) continue;
    lines.sync(i, tEnd);
  }

  const rent = stands.length * sc.prices.standRentPerSecond * SECONDS_PER_TICK * rentFactor;
  p.cash -= rent;
  p.m.rent += rent;
  p.m.capacitySeconds += cache.openCapacity * SECONDS_PER_TICK;
  p.m.activeTicks++;
  if (isAvailable(p, tick)) p.m.availableTicks++;
}
