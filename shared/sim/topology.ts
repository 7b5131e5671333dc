import type { Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';

/** Questions about what a business has and whether it works right now. Pure reads. */

export function hasNotebook(p: Player): boolean {
  return p.notebook !== null;
}

/** With a notebook, stands keep nothing of their own: any stand can serve anyone. */
export const isStateless = hasNotebook;

export function lbWorking(p: Player, tick: number): boolean {
  if (tick < p.lbFailoverUntil) return false;
  // A loop, not lbs.some(arrow): this runs for every customer of every business.
  const lbs = p.lbs;
  for (let i = 0; i < lbs.length; i++) if (lbs[i]!.failedUntil < 0) return true;
  return false;
}

export function notebookWorking(p: Player, tick: number): boolean {
  if (p.notebook === null) return true;
  const up = p.notebook.failedUntil < 0 || (p.replica !== null && p.replica.failedUntil < 0);
  return up && tick >= p.notebookFailoverUntil;
}

export function blenderRate(scenario: Scenario, tier: number): number {
  return scenario.blenderRates[tier - 1]!;
}

/**
 * Which stands customers can reach, as a count: the first `reachableCount(p)` of `p.stands`, that is all
 * of them behind a load balancer (one is enough, working or not), else only the first. The one statement
 * of the rule (views, shop, bots read it here). It is about what is wired, not what works now: a failed,
 * building or swapping stand is still reached, and a failed balancer still routes to every stand;
 * whether a reached stand is open and the balancer working is isAvailable's and effectiveCapacity's
 * question. A count, not a list, so the bots' loops (every bot, every second) make no array.
 * `stands` asks about the first `stands` positions instead of the business's own (e.g. one more than it
 * has: would a stand bought now be reached?). The per-customer routing (routing.ts routeCustomer) and
 * the availability count (player-tick.ts availableTicks) act on the same rule inline, on the hot path.
 */
export function reachableCount(p: Player, stands: number = p.stands.length): number {
  return p.lbs.length > 0 ? stands : Math.min(1, stands);
}

/** The stands a customer can reach (reachableCount's): all of them behind a load balancer, else the first. */
export function reachableStands(p: Player): Stand[] {
  const n = reachableCount(p);
  return n === p.stands.length ? p.stands : p.stands.slice(0, n);
}

/** Could a customer arriving now be served? (Availability counts ticks where this holds.) */
export function isAvailable(p: Player, tick: number): boolean {
  if (!notebookWorking(p, tick)) return false;
  if (p.lbs.length > 0 && !lbWorking(p, tick)) return false;
  const stands = p.stands;
  const n = reachableCount(p);
  for (let i = 0; i < n; i++) if (stands[i]!.status === 'open') return true;
  return false;
}

/** Cups per second that customers can actually reach right now (idle stands without a balancer count 0). */
export function effectiveCapacity(scenario: Scenario, p: Player, tick: number): number {
  if (!isAvailable(p, tick)) return 0;
  const stands = p.stands;
  const n = reachableCount(p);
  let cap = 0;
  for (let i = 0; i < n; i++) {
    const s = stands[i]!;
    if (s.status === 'open') cap += blenderRate(scenario, s.tier);
  }
  return cap;
}

/** Capacity that is bought, including stands being built or swapped and stands without a route. */
export function installedCapacity(scenario: Scenario, p: Player): number {
  let cap = 0;
  for (const s of p.stands) cap += blenderRate(scenario, s.tier);
  return cap;
}

/** Time added to every customer's wait by the hops they pass: balancer and notebook (lesson L7). */
export function hopSeconds(scenario: Scenario, p: Player): number {
  return (
    (p.lbs.length > 0 ? scenario.timings.lbHopSeconds : 0) +
    (p.notebook ? scenario.timings.notebookHopSeconds : 0)
  );
}
