import type { Customer, GameState } from './state.ts';
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from './constants.ts';
import { closeLines } from './stand-service.ts';
import { drawArrivals } from './arrivals.ts';
import { applyChaos, applyTeacherEvent } from './apply-event.ts';
import { finishTimers } from './failures.ts';
import { settleTabs } from './ledger.ts';
import { nextFloat, type RngState } from './rng.ts';
import { tickPlayer } from './player-tick.ts';
import { cacheList, dropCaches, markAllDirty, markDirty, wakeCacheAt } from './wake-cache.ts';

const arrivals: Customer[] = [];

export function durationTicks(state: GameState): number {
  return state.scenario.durationSeconds * TICKS_PER_SECOND;
}

/**
 * Advances a running game by one tick. Order within a tick: repairs and builds that are due, the
 * scenario's scheduled events, chaos, then the customers of [tick, tick+1) for every business.
 * Commands for this tick have already been applied by the caller (at the tick boundary).
 */
export function step(state: GameState): void {
  if (state.status !== 'running') return;
  const tick = state.tick;
  for (const p of state.players) {
    if (p.removed || tick < p.nextTimer) continue;
    finishTimers(p, tick);
    markDirty(p); // a build, swap or repair finished: stands changed outside tickPlayer
  }
  expireEffects(state, tick);

  const schedule = state.scenario.schedule;
  while (state.scheduleIndex < schedule.length) {
    const next = schedule[state.scheduleIndex]!;
    if (Math.round(next.atSeconds * TICKS_PER_SECOND) > tick) break;
    state.scheduleIndex++;
    applyTeacherEvent(state, next.event, 'schedule');
    markAllDirty(state);
  }
  if (applyChaos(state)) markAllDirty(state);

  drawArrivals(state, arrivals);
  state.lastArrivals = arrivals.length;
  const rentFactor = state.rentRise ? state.rentRise.value : 1;
  const players = state.players;
  const caches = cacheList(state);
  const sc = state.scenario;
  for (let i = 0; i < players.length; i++) {
    const p = players[i]!;
    if (!p.removed) tickPlayer(state, p, arrivals, rentFactor, wakeCacheAt(sc, caches, i, p), tick);
  }

  state.tick = tick + 1;
  if (state.tick >= durationTicks(state)) endGame(state);
}

/** Teacher effects whose time is up at this tick. */
function expireEffects(state: GameState, tick: number): void {
  state.surges = state.surges.filter((s) => s.untilTick > tick);
  if (state.sale && state.sale.untilTick <= tick) state.sale = null;
  if (state.rentRise && state.rentRise.untilTick <= tick) state.rentRise = null;
}

/** Most ticks stepMany runs in one stretch (the arrivals of each are held meanwhile). */
const MAX_STRETCH = 100;
const stretchArrivals: Customer[][] = Array.from({ length: MAX_STRETCH }, () => []);
const stretchRent = new Float64Array(MAX_STRETCH);

/**
 * Advances a running game by up to `maxTicks` ticks (at least one while it runs), with exactly the
 * result of calling step() that many times, and returns how many it advanced.
 *
 * Why: with thousands of businesses, stepping tick by tick walks every business's state every tick,
 * and that state (tens of MB) does not stay in the CPU's caches: most of a tick's time went to cache
 * misses. Businesses never interact, so over a stretch of ticks in which nothing room-wide happens to
 * them (no scheduled event, no chaos strike, no command: the caller stops at the next one) the room's
 * part is done first for every tick (teacher effects expiring, the common customers drawn), then each
 * business runs the whole stretch while its state is hot. Each business sees the same operations in
 * the same order as under step(), so every float and the hash are identical (pinned in
 * test/unit/determinism.test.ts, and compared with step() in test/unit/checkpoint.test.ts).
 */
export function stepMany(state: GameState, maxTicks: number): number {
  if (state.status !== 'running' || maxTicks < 1) return 0;
  const start = state.tick;
  const n = stretchLength(state, Math.min(maxTicks, MAX_STRETCH));
  if (n <= 1) {
    step(state);
    return 1;
  }
  // The room's part of every tick of the stretch, in step()'s order.
  for (let k = 0; k < n; k++) {
    const tick = start + k;
    state.tick = tick;
    expireEffects(state, tick);
    // No strike in the stretch (ticksBeforeStrike), but the draws that found none are made here.
    if (applyChaos(state)) throw new Error(`chaos struck inside a stretch at tick ${tick}`);
    drawArrivals(state, stretchArrivals[k]!);
    stretchRent[k] = state.rentRise ? state.rentRise.value : 1;
  }
  state.lastArrivals = stretchArrivals[n - 1]!.length;
  // Each business's part, the whole stretch at once.
  const players = state.players;
  const caches = cacheList(state);
  const sc = state.scenario;
  for (let i = 0; i < players.length; i++) {
    const p = players[i]!;
    if (p.removed) continue;
    for (let k = 0; k < n; k++) {
      const tick = start + k;
      if (tick >= p.nextTimer) {
        finishTimers(p, tick);
        markDirty(p);
      }
      tickPlayer(state, p, stretchArrivals[k]!, stretchRent[k]!, wakeCacheAt(sc, caches, i, p), tick);
    }
  }
  for (let k = 0; k < n; k++) stretchArrivals[k]!.length = 0;
  state.tick = start + n;
  if (state.tick >= durationTicks(state)) endGame(state);
  return n;
}

/**
 * How many ticks from the current one can run as a stretch: none of them fires a scheduled event or a
 * chaos strike (both reach into every business at a moment), and the game does not end before the last.
 */
function stretchLength(state: GameState, max: number): number {
  const start = state.tick;
  let n = Math.min(max, durationTicks(state) - start);
  if (state.chaos !== null) n = Math.min(n, ticksBeforeStrike(state, n));
  const schedule = state.scenario.schedule;
  if (state.scheduleIndex < schedule.length) {
    const at = Math.round(schedule[state.scheduleIndex]!.atSeconds * TICKS_PER_SECOND);
    n = Math.min(n, at - start);
  }
  return Math.max(n, 1);
}

/**
 * Chaos draws one number a tick from its own stream, and two more when it strikes; the draws do not
 * depend on the businesses. So the next strike is found by running the same draws on a copy of the
 * stream: the ticks before it (at most `max`) can be a stretch, their draws made in the room's part.
 */
function ticksBeforeStrike(state: GameState, max: number): number {
  const chaos = state.chaos!;
  const rng: RngState = [state.chaosRng[0], state.chaosRng[1], state.chaosRng[2], state.chaosRng[3]];
  for (let k = 0; k < max; k++) {
    if (chaos.untilTick <= state.tick + k) return max; // chaos is over from here: no more draws
    if (nextFloat(rng) < chaos.perTick) return k;
  }
  return max;
}

/** Ends the game: outstanding tabs are paid up, as regulars settle at the end of the week. */
export function endGame(state: GameState): void {
  if (state.status === 'ended') return;
  state.status = 'ended';
  dropCaches(state);
  for (const p of state.players) {
    if (p.removed) continue;
    closeLines(p, state.tick * SECONDS_PER_TICK);
    p.notebookTabs = settleTabs(state, p, p.notebookTabs);
    for (const s of p.stands) s.tabs = settleTabs(state, p, s.tabs);
  }
}
