import type { Customer, Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { LostCounts } from './state.ts';
import { firstIdle, isIdle, type WakeCache } from './wake-cache.ts';
import { isStateless, lbWorking, notebookWorking } from './topology.ts';

/** A position in p.stands, or the reason the customer is lost. */
export type RouteResult = number | keyof LostCounts;

/**
 * The lines of a business as they are at a moment inside a tick. A stand's entries in the wake cache
 * are exact until its wake time; `sync` brings a stand whose wake has passed up to the moment (serving,
 * letting the impatient go) and refreshes its entries. tickSpan provides it; without it (a failed
 * stand's line re-routed at a tick boundary, when every line is up to date) the stands are read directly.
 */
export interface LiveLines {
  cache: WakeCache;
  /** The customer's arrival, set by the caller before routing them: the moment `sync` brings a stand to. */
  t: number;
  sync(i: number): void;
}

/**
 * People at stand i (waiting plus in service) at the customer's arrival, lines.t. (The moment is read
 * from `lines`, not passed: a float argument of a call V8 does not inline is boxed on the heap, and this
 * ran twice for most regulars: ~70 MB of garbage in a 2,000-player week.)
 */
function peopleAt(p: Player, i: number, lines: LiveLines | null): number {
  if (lines === null) {
    const s = p.stands[i]!;
    return s.queue.length + (s.serving ? 1 : 0);
  }
  if (lines.cache.wake[i]! <= lines.t) lines.sync(i);
  return lines.cache.ahead[i]!;
}

/** The load balancer's choice among open stands: a position in p.stands, or -1 when none is open. */
function balance(
  scenario: Scenario,
  p: Player,
  c: Customer,
  exclude: Stand | null,
  lines: LiveLines | null,
): number {
  const stands = p.stands;
  if (p.lbPolicy === 'least-queue' && lines && exclude === null) {
    // The same choice as below, read from contiguous arrays instead of 50 stand objects per customer,
    // with each line as it is at this customer's arrival (in time order within the tick).
    const cache = lines.cache;
    const { ahead, openRate, wake, nextWake } = cache;
    const t = c.t;
    // nextWake bounds every stand's wake from below: most customers find no line to bring up to date.
    const someDue = nextWake <= t;
    // The loop below returns the first open, fastest, empty stand it meets, having brought the due stands
    // before it up to this moment. An empty stand is never due (nothing happens there until someone
    // comes) and a stand not brought up to date is as the cache has it: so the answer is the first such
    // stand in the cache, unless a due stand before it turns out to be one once brought up to date.
    const idle = firstIdle(cache);
    if (idle >= 0) {
      if (someDue)
        for (let i = 0; i < idle; i++) {
          if (openRate[i] === 0 || wake[i]! > t) continue;
          lines.sync(i);
          if (isIdle(cache, i)) return i;
        }
      return idle;
    }
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < stands.length; i++) {
      const rate = openRate[i]!;
      if (rate === 0) continue;
      if (someDue && wake[i]! <= t) lines.sync(i);
      if (isIdle(cache, i)) return i;
      const people = ahead[i]!;
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
      const ahead = s.queue.length + (s.serving ? 1 : 0);
      const rate = scenario.blenderRates[s.tier - 1]!;
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
 * that holds their tab (lesson L8): while a failed stand's sessions are being recovered its regulars
 * cannot be served, and a regular whose stand is failed or sold gets a new one from the balancer.
 *
 * Re-homing (so that where regulars happened to be first served does not decide a business's load for
 * ever): a regular whose home stand is busy while the balancer's choice is idle, or whose home line is
 * full while the balancer's choice has room, goes to the balancer's choice, and their tab moves with
 * them (nothing is lost). Stateful stands lose tabs and sessions only when a stand fails or is sold.
 */
export function routeCustomer(
  scenario: Scenario,
  p: Player,
  c: Customer,
  tick: number,
  exclude: Stand | null,
  lines: LiveLines | null,
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
      const i = standIndex(p, homeId, lines);
      const home = p.stands[i];
      // A sticky session waits for its own stand (even while it swaps blenders) unless it can move.
      if (home && home !== exclude && home.status !== 'failed') {
        const atHome = peopleAt(p, i, lines);
        const full = scenario.customers.maxLine;
        const homeFull = full !== null && atHome - (home.serving ? 1 : 0) >= full;
        if (!homeFull && atHome === 0 && home.status === 'open') return i;
        const other = balance(scenario, p, c, exclude, lines);
        if (other < 0 || other === i) return i;
        const there = peopleAt(p, other, lines);
        const otherHasRoom = full === null || there - (p.stands[other]!.serving ? 1 : 0) < full;
        if (there > 0 && !(homeFull && otherHasRoom)) return i;
        rehome(p, home, p.stands[other]!, c.regular);
        return other;
      }
      delete p.regularHome[c.regular];
    }
  }
  const chosen = balance(scenario, p, c, exclude, lines);
  if (chosen < 0) return 'outage';
  if (sticky) p.regularHome[c.regular] = p.stands[chosen]!.id;
  return chosen;
}

/** Position of the stand with this id, or -1: read from the cache's id array when ticking. */
function standIndex(p: Player, id: number, lines: LiveLines | null): number {
  const stands = p.stands;
  if (lines !== null) {
    const ids = lines.cache.ids;
    for (let i = 0; i < stands.length; i++) if (ids[i] === id) return i;
    return -1;
  }
  for (let i = 0; i < stands.length; i++) if (stands[i]!.id === id) return i;
  return -1;
}

/** Moves a regular's session (home and tab) from one stand to another. */
function rehome(p: Player, from: Stand, to: Stand, regular: number): void {
  const tab = from.tabs[regular];
  if (tab !== undefined) {
    from.tabs[regular] = undefined; // moved (see TabBook)
    to.tabs[regular] = (to.tabs[regular] ?? 0) + tab;
  }
  p.regularHome[regular] = to.id;
}
