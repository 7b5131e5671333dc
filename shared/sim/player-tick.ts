import type { Customer, GameState, Player } from './state.ts';
import { SECONDS_PER_TICK } from './constants.ts';
import { routeCustomer, type PendingByStand } from './routing.ts';
import { advanceStand } from './stand-service.ts';
import { hopSeconds, isAvailable } from './topology.ts';

const pending: PendingByStand = [];

/** One tick of one business: route this tick's common customers, run every stand, pay the rent. */
export function tickPlayer(state: GameState, p: Player, arrivals: Customer[], rentFactor: number): void {
  const sc = state.scenario;
  const tick = state.tick;
  const stands = p.stands;
  for (let i = 0; i < stands.length; i++) {
    const list = pending[i];
    if (list) list.length = 0;
    else pending[i] = [];
  }
  for (const c of arrivals) {
    const to = routeCustomer(sc, p, c, tick, null, pending);
    if (typeof to === 'string') {
      p.m.lost[to]++;
      continue;
    }
    pending[stands.indexOf(to)]!.push(c);
  }
  const tStart = tick * SECONDS_PER_TICK;
  const tEnd = (tick + 1) * SECONDS_PER_TICK;
  const hop = hopSeconds(sc, p);
  for (let i = 0; i < stands.length; i++) advanceStand(state, p, stands[i]!, pending[i], tStart, tEnd, hop);

  const rent = stands.length * sc.prices.standRentPerSecond * SECONDS_PER_TICK * rentFactor;
  p.cash -= rent;
  p.m.rent += rent;
  p.m.activeTicks++;
  if (isAvailable(p, tick)) p.m.availableTicks++;
}
