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

/** The stands a customer can reach: all of them behind a load balancer, else only the first. */
export function reachableStands(p: Player): Stand[] {
  if (p.lbs.length > 0) return p.stands;
  return p.stands.length > 0 ? [p.stands[0]!] : [];
}

/** Could a customer arriving now be served? (Availability counts ticks where this holds.) */
export function isAvailable(p: Player, tick: number): boolean {
  if (!notebookWorking(p, tick)) return false;
  if (p.lbs.length === 0) return p.stands.length > 0 && p.stands[0]!.status === 'open';
  if (!lbWorking(p, tick)) return false;
  for (const s of p.stands) if (s.status === 'open') return true;
  return false;
}

/** Cups per second that customers can actually reach right now (idle stands without a balancer count 0). */
export function effectiveCapacity(scenario: Scenario, p: Player, tick: number): number {
  if (!isAvailable(p, tick)) return 0;
  let cap = 0;
  for (const s of reachableStands(p)) if (s.status === 'open') cap += blenderRate(scenario, s.tier);
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
