import type { Customer, GameState, Player, Stand } from './state.ts';
import { WAIT_BUCKETS, WAIT_BUCKET_SECONDS } from './constants.ts';
import { addToTab, earn } from './ledger.ts';
import { blenderRate, isStateless } from './topology.ts';

/**
 * One stand as a first-come-first-served single-server queue, simulated in continuous time inside each
 * tick: arrivals at their exact moments, service completions at theirs. That keeps waits faithful to
 * queueing theory (M/M/1, M/M/1/K) however coarse the tick is.
 */

function recordWait(p: Player, wait: number): void {
  const m = p.m;
  m.waitSum += wait;
  const b = Math.min(Math.floor(wait / WAIT_BUCKET_SECONDS), WAIT_BUCKETS - 1);
  m.waitHist[b] = (m.waitHist[b] ?? 0) + 1;
}

function complete(state: GameState, p: Player, s: Stand, c: Customer): void {
  s.served++;
  p.m.served++;
  if (c.regular < 0) earn(p, state.scenario.prices.cup);
  else addToTab(state, p, isStateless(p) ? p.notebookTabs : s.tabs, c.regular);
}

/** Work left on the cup in progress at time `now` (for views, and before a blender swap). */
export function remainingWorkAt(s: Stand, rate: number, now: number): number {
  if (s.serving === null) return 0;
  return s.status === 'open' ? Math.max(0, s.remaining - (now - s.syncedAt) * rate) : s.remaining;
}

/** minDeadline of an empty line (JSON-safe, unlike Infinity). */
export const NOBODY_WAITING = 1e15;

/** Puts a customer at the end of a stand's line. */
export function joinLine(s: Stand, c: Customer, hop: number): void {
  s.queue.push(c);
  const deadline = c.t + c.patience - hop;
  if (deadline < s.minDeadline) s.minDeadline = deadline;
}

/** Starts the next patient customer at time t; customers who waited past their patience leave. */
function startNext(p: Player, s: Stand, t: number, hop: number): boolean {
  while (s.queue.length > 0) {
    const c = s.queue.shift()!;
    const wait = t - c.t + hop;
    if (wait > c.patience) {
      p.m.lost.impatient++;
      s.gaveUp++;
      continue;
    }
    s.serving = c;
    s.remaining = c.work;
    s.servingSince = t;
    recordWait(p, wait);
    return true;
  }
  return false;
}

/** Serves from time t to t1 at the blender's rate; returns t1. */
function serveUntil(
  state: GameState,
  p: Player,
  s: Stand,
  rate: number,
  t: number,
  t1: number,
  hop: number,
): number {
  for (;;) {
    if (s.serving === null && !startNext(p, s, t, hop)) return t1;
    const finish = t + s.remaining / rate;
    if (finish > t1) {
      s.remaining -= (t1 - t) * rate;
      return t1;
    }
    t = finish;
    const done = s.serving!;
    s.serving = null;
    s.remaining = 0;
    complete(state, p, s, done);
  }
}

/**
 * Advances one stand over [tStart, tEnd) with the customers routed to it this tick (in arrival order).
 * A stand that is not open (building, swapping) serves nobody but its line still waits; customers balk
 * when the line is already at the scenario's maximum.
 */
export function advanceStand(
  state: GameState,
  p: Player,
  s: Stand,
  arrivals: Customer[],
  arrivalCount: number,
  tStart: number,
  tEnd: number,
  hop: number,
): void {
  const open = s.status === 'open';
  const rate = blenderRate(state.scenario, s.tier);
  const maxLine = state.scenario.customers.maxLine;
  // A cup in progress has been blending since syncedAt (possibly several ticks ago, see tickPlayer).
  let t = open && s.serving !== null ? s.syncedAt : tStart;
  for (let i = 0; i < arrivalCount; i++) {
    const c = arrivals[i]!;
    if (open) t = serveUntil(state, p, s, rate, t, c.t, hop);
    s.arrived++;
    if (maxLine !== null && s.queue.length >= maxLine) {
      p.m.lost.balked++;
      s.gaveUp++;
      s.balked++;
      continue;
    }
    joinLine(s, c, hop);
  }
  if (open) serveUntil(state, p, s, rate, t, tEnd, hop);
  s.syncedAt = tEnd;
  if (s.queue.length === 0) s.minDeadline = NOBODY_WAITING;
  else if (state.scenario.customers.patienceSeconds !== null && s.minDeadline < tEnd) {
    // Whoever is still waiting at the end of the tick past their patience has walked away by now.
    let kept = 0;
    let min = NOBODY_WAITING;
    for (const c of s.queue) {
      if (tEnd - c.t + hop > c.patience) {
        p.m.lost.impatient++;
        s.gaveUp++;
      } else {
        s.queue[kept++] = c;
        const deadline = c.t + c.patience - hop;
        if (deadline < min) min = deadline;
      }
    }
    if (kept !== s.queue.length) s.queue.length = kept;
    s.minDeadline = min;
  }
  if (s.queue.length > p.m.peakLine) p.m.peakLine = s.queue.length;
}
