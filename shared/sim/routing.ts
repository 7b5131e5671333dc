import type { Customer, Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { LostCounts } from './state.ts';
import { isStateless, lbWorking, notebookWorking } from './topology.ts';

export type RouteResult = Stand | keyof LostCounts;

/**
 * Per-tick scratch for routing: customers already sent to each stand this tick (by the stand's position
 * in p.stands), so the least-queue policy sees them. Lists are reused; `count` says how much is valid.
 */
export interface PendingByStand {
  lists: Customer[][];
  count: number[];
}

function pendingAt(pending: PendingByStand | null, i: number): number {
  return pending ? pending.count[i]! : 0;
}

/** The load balancer's choice among open stands, or null when none is open. */
function balance(
  scenario: Scenario,
  p: Player,
  c: Customer,
  exclude: Stand | null,
  pending: PendingByStand | null,
): Stand | null {
  const stands = p.stands;
  if (p.lbPolicy === 'least-queue') {
    // The line that will be served soonest: people ahead (waiting, arriving, in service) over speed.
    let best: Stand | null = null;
    let bestScore = Infinity;
    for (let i = 0; i < stands.length; i++) {
      const s = stands[i]!;
      if (s.status !== 'open' || s === exclude) continue;
      const ahead = s.queue.length + pendingAt(pending, i) + (s.serving ? 1 : 0);
      const score = (ahead + 1) / scenario.blenderRates[s.tier - 1]!;
      if (score < bestScore) {
        bestScore = score;
        best = s;
      }
    }
    return best;
  }
  let open = 0;
  for (const s of stands) if (s.status === 'open' && s !== exclude) open++;
  if (open === 0) return null;
  const k = p.lbPolicy === 'random' ? Math.floor(c.route * open) : p.rrCursor++ % open;
  let seen = 0;
  for (const s of stands) {
    if (s.status !== 'open' || s === exclude) continue;
    if (seen++ === k) return s;
  }
  return null;
}

/**
 * Where a customer goes, or why they are lost. Without a load balancer customers only know the first
 * stand (lesson L6). With stateful stands a regular is sticky to the stand that holds their tab, and
 * while a failed stand's sessions are being recovered its regulars cannot be served (lesson L8).
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
  const stateful = !isStateless(p);
  const sticky = stateful && c.regular >= 0;
  if (sticky) {
    const recovering = p.regularRecovering[c.regular];
    if (recovering !== undefined && recovering > tick) return 'failover';
  }
  if (p.lbs.length === 0) {
    const first = p.stands[0];
    if (!first || first === exclude || first.status !== 'open') return 'outage';
    if (sticky) p.regularHome[c.regular] = first.id;
    return first;
  }
  if (!lbWorking(p, tick)) return 'outage';
  if (sticky) {
    const homeId = p.regularHome[c.regular];
    if (homeId !== undefined) {
      const home = p.stands.find((s) => s.id === homeId);
      // A sticky session waits for its own stand even while it swaps blenders.
      if (home && home !== exclude && home.status !== 'failed') return home;
      delete p.regularHome[c.regular];
    }
  }
  const chosen = balance(scenario, p, c, exclude, pending);
  if (!chosen) return 'outage';
  if (sticky) p.regularHome[c.regular] = chosen.id;
  return chosen;
}
