import type { Customer, GameState, Player, Stand } from './state.ts';
import { WAIT_BUCKETS, WAIT_BUCKET_SECONDS } from './constants.ts';
import { addToTab, earn } from './ledger.ts';
import { blenderRate, isStateless } from './topology.ts';

/**
 * The moment a stand is brought to (seconds) and the hops of its business, handed over in one object that
 * the caller reuses rather than as two arguments: V8 puts every float passed to a function it does not
 * inline in a fresh heap box, and the hot path passed tens of millions of them in a 2,000-player game
 * (about 1 GB of garbage a Lemonade Week). A field that holds a float is written in place.
 */
export interface Moment {
  t: number;
  hop: number;
}

/**
 * One stand as a first-come-first-served single-server queue, simulated in continuous time: arrivals at
 * their exact moments, service completions and departures of impatient customers at theirs. A stand is
 * brought up to a moment (advanceTo) before anyone looks at its line, so the line a balancer compares or
 * a customer balks at is the line as it is at that moment: waits do not depend on the tick length.
 */

/** Work left on the cup in progress at time `now` (for views, and before a blender swap). */
export function remainingWorkAt(s: Stand, rate: number, now: number): number {
  if (s.serving === null) return 0;
  return s.status === 'open' ? Math.max(0, s.remaining - (now - s.syncedAt) * rate) : s.remaining;
}

/** minDeadline of an empty line (JSON-safe, unlike Infinity). */
export const NOBODY_WAITING = 1e15;

/**
 * Has this customer given up by time t? Their wait (line plus hops) is past their patience. The one
 * rule for leaving, used when they reach the front and when the line is tidied.
 */
function gaveUpBy(c: Customer, t: number, hop: number): boolean {
  return t - c.t + hop > c.patience;
}

/** A customer who gave up waited in line until their patience ran out (less the hops they passed). */
function leaveImpatient(p: Player, s: Stand, c: Customer, hop: number): void {
  p.m.lost.impatient++;
  p.m.lineSum += Math.max(0, c.patience - hop);
  s.gaveUp++;
}

/**
 * Serves from s.syncedAt to at.t at the blender's rate: the customer in service and then the line, in
 * order; customers who waited past their patience leave when they reach the front. (Starting a customer
 * and completing one are written out here rather than as functions of their own: their moment is a
 * float, boxed on the heap whenever such a call is not inlined.)
 */
function serveUntil(state: GameState, p: Player, s: Stand, at: Moment, arriving: Customer | null): void {
  const rate = blenderRate(state.scenario, s.tier);
  const t1 = at.t;
  const hop = at.hop;
  const m = p.m;
  let t = s.syncedAt;
  for (;;) {
    if (s.serving === null) {
      // The next patient customer starts at t.
      const q = s.queue;
      let next: Customer | null = null;
      if (arriving !== null) {
        // (The first in line, without passing through the array: see joinLine.)
        const c = arriving;
        arriving = null;
        if (gaveUpBy(c, t, hop)) leaveImpatient(p, s, c, hop);
        else next = c;
      }
      if (next === null && q.length === 0) return;
      while (next === null && q.length > 0) {
        const c = q.shift()!;
        if (gaveUpBy(c, t, hop)) {
          leaveImpatient(p, s, c, hop);
          continue;
        }
        next = c;
        break;
      }
      if (next === null) {
        // The line has just emptied: give back the storage a rush grew it to (V8 keeps it after shift();
        // setting the length of an empty array to 0 releases it). ~50 bytes a stand at the end of a game.
        q.length = 0;
        return;
      }
      s.serving = next;
      s.remaining = next.work;
      s.servingSince = t;
      m.lineSum += t - next.t;
      // The wait (line plus hops) into the histogram for the p95.
      const wait = t - next.t + hop;
      m.waitSum += wait;
      const b = Math.min(Math.floor(wait / WAIT_BUCKET_SECONDS), WAIT_BUCKETS - 1);
      m.waitHist[b] = (m.waitHist[b] ?? 0) + 1;
    }
    const finish = t + s.remaining / rate;
    if (finish > t1) {
      s.remaining -= (t1 - t) * rate;
      return;
    }
    t = finish;
    // The cup is done at t.
    const done = s.serving!;
    s.serving = null;
    s.remaining = 0;
    s.served++;
    m.served++;
    m.systemSum += t - done.t + hop;
    m.workServed += done.work;
    if (done.regular < 0) earn(p, state.scenario.prices.cup);
    else addToTab(state, p, isStateless(p) ? p.notebookTabs : s.tabs, done.regular);
  }
}

/** Removes everyone who has given up by at.t from anywhere in the line, and renews minDeadline. */
function letImpatientGo(p: Player, s: Stand, at: Moment): void {
  const t = at.t;
  const hop = at.hop;
  const q = s.queue;
  let kept = 0;
  let min = NOBODY_WAITING;
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (gaveUpBy(c, t, hop)) {
      leaveImpatient(p, s, c, hop);
    } else {
      q[kept++] = c;
      const deadline = c.t + c.patience - hop;
      if (deadline < min) min = deadline;
    }
  }
  if (kept !== q.length) q.length = kept;
  s.minDeadline = min;
}

/**
 * Brings a stand up to time at.t: an open stand serves until then, and whoever has given up by then has
 * left the line (a customer who left is never counted in it). A stand that is not open (building,
 * swapping) serves nobody, but its line still loses patience.
 */
export function advanceTo(state: GameState, p: Player, s: Stand, at: Moment): void {
  if (s.status === 'open') {
    // (An open stand with a line and nobody at the blender has just reopened after a swap.)
    if (s.serving !== null || s.queue.length > 0) serveUntil(state, p, s, at, null);
    s.syncedAt = at.t;
  }
  if (s.queue.length === 0) s.minDeadline = NOBODY_WAITING;
  else if (s.minDeadline <= at.t) letImpatientGo(p, s, at);
}

/**
 * Puts a customer at the end of a stand's line at time at.t (the stand must be up to that moment); an idle
 * open stand starts serving them at once.
 */
export function joinLine(state: GameState, p: Player, s: Stand, c: Customer, at: Moment): void {
  const q = s.queue;
  const deadline = c.t + c.patience - at.hop;
  if (deadline < s.minDeadline) s.minDeadline = deadline;
  if (s.status === 'open' && s.serving === null && q.length === 0) {
    // An idle stand with nobody in line (most customers of a big room find one): the customer would be
    // put at the end of the line and taken off it at once; serveUntil takes them directly instead, with
    // the same steps in the same order (they may still give up there, if the hops outlast their
    // patience). The line stays empty, so its peak is unchanged.
    s.syncedAt = at.t;
    serveUntil(state, p, s, at, c);
    return;
  }
  // (An indexed store, not push(): V8 inlines it; push() stayed a call to its builtin here.)
  q[q.length] = c;
  if (s.status === 'open' && s.serving === null) {
    s.syncedAt = at.t;
    serveUntil(state, p, s, at, null);
  }
  if (q.length > p.m.peakLine) p.m.peakLine = q.length;
}

/**
 * A customer sent to a stand by the balancer, at their arrival (at.t is theirs, c.t; the stand is up to
 * that moment; at.hop the business's hops): they balk when the line already holds the scenario's
 * maximum, and join it otherwise. Returns whether they joined: a balk changes only the stand's counters,
 * nothing its wake or its line depends on.
 */
export function arrive(state: GameState, p: Player, s: Stand, c: Customer, at: Moment): boolean {
  s.arrived++;
  const maxLine = state.scenario.customers.maxLine;
  if (maxLine !== null && s.queue.length >= maxLine) {
    p.m.lost.balked++;
    s.gaveUp++;
    s.balked++;
    return false;
  }
  joinLine(state, p, s, c, at);
  return true;
}

/** At the end of the game the people still in line have waited until then. */
export function closeLines(p: Player, now: number): void {
  for (const s of p.stands) for (const c of s.queue) p.m.lineSum += Math.max(0, now - c.t);
}
