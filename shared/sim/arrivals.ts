import type { Customer, GameState } from './state.ts';
import { SECONDS_PER_TICK } from './constants.ts';
import { nextExp, nextFloat } from './rng.ts';
import { currentDemand } from './demand.ts';
import { blankCustomer } from './customer-supply.ts';

export const NO_PATIENCE = 1e12;

/**
 * Draws this tick's customers of the common stream: a Poisson process whose rate is constant within a
 * tick. The state keeps the unit-rate exponential still to run before the next arrival, so a rate
 * change at a tick boundary is exact (a time-changed Poisson process) and no arrival is lost or doubled.
 * Every player is then offered these same customers.
 */
export function drawArrivals(state: GameState, out: Customer[]): void {
  out.length = 0;
  const rate = currentDemand(state);
  if (rate <= 0) return;
  const rng = state.arrivalRng;
  const c = state.scenario.customers;
  let intensityLeft = rate * SECONDS_PER_TICK;
  let t = state.tick * SECONDS_PER_TICK;
  let budget = state.arrivalBudget;
  while (budget <= intensityLeft) {
    t += budget / rate;
    intensityLeft -= budget;
    // Always draw the same number of values per customer so the stream does not depend on settings.
    const workDraw = nextExp(rng);
    const patienceDraw = nextExp(rng);
    const regularDraw = nextFloat(rng);
    const whoDraw = nextFloat(rng);
    const route = nextFloat(rng);
    // (An object made ahead, filled in here: see customer-supply.ts.)
    const customer = blankCustomer();
    customer.id = state.nextCustomerId++;
    customer.t = t;
    customer.work = c.serviceTime === 'exponential' ? workDraw : 1;
    customer.patience =
      c.patienceSeconds === null
        ? NO_PATIENCE
        : c.patienceDistribution === 'exponential'
          ? c.patienceSeconds * patienceDraw
          : c.patienceSeconds;
    customer.regular = regularDraw < c.regularShare ? Math.floor(whoDraw * c.regulars) : -1;
    customer.route = route;
    out.push(customer);
    budget = nextExp(rng);
  }
  state.arrivalBudget = budget - intensityLeft;
}
