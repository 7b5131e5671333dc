import type { Customer, Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { LostCounts } from './state.ts';
import { isStateless, lbWorking, notebookWorking } from './topology.ts';

/** A position in p.stands, or the reason the customer is lost. */
export type RouteResult = number | keyof LostCounts;

/**
 * Per-tick scratch for routing: customers already sent to each stand this tick (by the stand's position
 * in p.stands), so the least-queue policy sees them. Lists are reused; `count` says how much is valid.
 */
export interface PendingByStand {
  lists: Customer[][];
  count: number[];
  /** Fastest blender among open stands this tick: an idle stand with it is the best choice outright. */
  bestRate: number;
  /** The wake cache's contiguous copies of each stand's line and open rate (wake-cache.ts). */
  ahead: Int32Array;
  openRate: Float64Array;
}

function pendingAt(pending: PendingByStand | null, i: number): number {
  return pending ? pending.count[i]! : 0;
}

/** The load balancer's choice among open stands: a position in p.stands, or -1 when none is open. */
function balance(
  scenario: Scenario,
  p: Player,
  c: Customer,
  exclude: Stand | null,
  pending: PendingByStand | null,
): number {
  const stands = p.stands;
  if (p.lbPolicy === 'least-queue' && pending && exclude === null) {
    // The same choice as below, read from contiguous arrays instead of 50 stand objects per customer.
    const { ahead, openRate, count, bestRate } = pending;
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < stands.length; i++) {
      const rate = openRate[i]!;
      if (rate === 0) continue;
      const people = ahead[i]! + count[i]!;
      if (people === 0 && rate === bestRate) return i;
      const score = (people + 1) / rate;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
  if (p.lbPolicy === 'least-queue') {
    // The line that will be served soonest: people ahead (waiting, arriving, in service) over speed.
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < stands.length; i++) {
      const s = stands[i]!;
      if (s.status !== 'open' || s === exclude) continue;
      const ahead = s.queue.length + pendingAt(pending, i) + (s.serving ? 1 : 0);
      const rate = scenario.blenderRates[s.tier - 1]!;
      // Nobody can beat an idle stand with the fastest blender, and the first such stand wins ties.
      if (ahead === 0 && pending && rate === pending.bestRate) return i;
      const score = (ahead + 1) / rate;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
  let open = 0;
  for (const s of stands) if (s.status === 'open' && s !== exclude) open++;
  if (open === 0) return -1;
  const k = p.lbPolicy === 'random' ? Math.floor(c.route * open) : p.rrCursor++ % open;
  let seen = 0;
  for (let i = 0; i < stands.length; i++) {
    const s = stands[i]!;
    if (s.status !== 'open' || s === exclude) continue;
    if (seen++ === k) return i;
  }
  return -1;
}

/**
 * Where a customer goes (a position in p.stands), or why they are lost. Without a load balancer
 * customers only know the first stand (lesson L6). With stateful stands a regular is sticky to the stand
 * that holds their tab, and while a failed stand's sessions are being recovered its regulars cannot be
 * served (lesson L8).
 */
export function routeCustomer(
  scenario: Scenario,
  p: Player,
  c: Customer,
  tick: number,
  exclude: Stand | null,
  pending: PendingByStand | null,
): RouteResult {
  if (!notebookWorking(p, tick)) return 'outage';
  const sticky = c.regular >= 0 && !isStateless(p);
  if (sticky) {
    const recovering = p.regularRecovering[c.regular];
    if (recovering !== undefined && recovering > tick) return 'failover';
  }
  if (p.lbs.length === 0) {
    const first = p.stands[0];
    if (!first || first === exclude || first.status !== 'open') return 'outage';
    if (sticky) p.regularHome[c.regular] = first.id;
    return 0;
  }
  if (!lbWorking(p, tick)) return 'outage';
  if (sticky) {
    const homeId = p.regularHome[c.regular];
    if (homeId !== undefined) {
      const i = p.stands.findIndex((s) => s.id === homeId);
      const home = p.stands[i];
      // A sticky session waits for its own stand even while it swaps blenders.
      if (home && home !== exclude && home.status !== 'failed') return i;
      delete p.regularHome[c.regular];
    }
  }
  const chosen = balance(scenario, p, c, exclude, pending);
  if (chosen < 0) return 'outage';
  if (sticky) p.regularHome[c.regular] = p.stands[chosen]!.id;
  return chosen;
}
