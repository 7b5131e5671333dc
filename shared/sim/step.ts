import type { ChaosEffect, Customer, GameState, Player, TimedEffect } from './state.ts';
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from './constants.ts';
import { closeLines } from './stand-service.ts';
import { drawArrivals } from './arrivals.ts';
import { applyChaos, applyTeacherEvent } from './apply-event.ts';
import { finishTimers } from './failures.ts';
import { settleTabs } from './ledger.ts';
import { nextFloat, type RngState } from './rng.ts';
import { tickSpan } from './player-tick.ts';
import { cacheList, dropCaches, markAllDirty, markDirty, wakeCacheAt, type WakeCache } from './wake-cache.ts';

const arrivals: Customer[] = [];
/** step()'s one tick for tickSpan: its customers and rent factor (see there). */
const stepArrivals = [arrivals];
const stepRent = new Float64Array(1);

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
    markDirty(p); // a build, swap or repair finished: stands changed outside tickSpan
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
  stepRent[0] = state.rentRise ? state.rentRise.value : 1;
  const players = state.players;
  const caches = cacheList(state);
  const sc = state.scenario;
  for (let i = 0; i < players.length; i++) {
    const p = players[i]!;
    if (!p.removed) tickSpan(state, p, stepArrivals, stepRent, 0, 1, wakeCacheAt(sc, caches, i, p), tick);
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

/**
 * Most ticks stepMany runs in one stretch (the arrivals of each are held meanwhile: a few thousand
 * customers at most). Each business's state is brought into the caches once per stretch: 50 game
 * seconds ran a 2,000-player Lemonade Week ~20% faster than 10 (measured 2026-11-29), longer gained
 * nothing more.
 */
export const MAX_STRETCH = 500;
const stretchArrivals: Customer[][] = Array.from({ length: MAX_STRETCH }, () => []);
const stretchRent = new Float64Array(MAX_STRETCH);

/**
 * What a business does at the tick boundaries of a stretch on its own: the commands that take effect
 * for it alone (a fold's log entries for this business, a bot's decisions). A player command reads the
 * room (the tick, a running sale) and changes only its own business, and a bot reads the room and its
 * own business, so a business can take them inside its stretch, between its ticks, and end up exactly
 * as if the whole room had stopped at every command (test/unit/determinism.test.ts).
 */
export interface BusinessTurns {
  /** The first tick at or after `from` at which the business at position `i` has a turn (Infinity: none). */
  first(p: Player, i: number, from: number): number;
  /**
   * The business's turn at `tick`, before its timers and customers of that tick: state.tick and the
   * room's effects are as they were at that tick's boundary. Returns the tick of its next turn.
   */
  turn(state: GameState, p: Player, i: number, tick: number): number;
  /**
   * Read right after each turn (Infinity: none): the business's next turn comes before the tick turn()
   * returned, at the first of the ticks `tick + cashEvery`, `tick + 2 * cashEvery`, ... at whose boundary
   * its cash is at least this (a bot saving up: the turn knows that it would do nothing at those ticks
   * while its cash is below this, not what its business earns meanwhile).
   */
  readonly cashAtLeast: number;
  readonly cashEvery: number;
}

/** The room's effects as they stand at a tick boundary (what a command or a bot may read). */
interface RoomMoment {
  surges: TimedEffect[];
  sale: TimedEffect | null;
  rentRise: TimedEffect | null;
  chaos: ChaosEffect | null;
  lastArrivals: number;
}
const moments: RoomMoment[] = Array.from({ length: MAX_STRETCH + 1 }, () => ({
  surges: [],
  sale: null,
  rentRise: null,
  chaos: null,
  lastArrivals: 0,
}));

function saveMoment(state: GameState, k: number): void {
  const m = moments[k]!;
  m.surges = state.surges;
  m.sale = state.sale;
  m.rentRise = state.rentRise;
  m.chaos = state.chaos;
  m.lastArrivals = state.lastArrivals;
}

function enterMoment(state: GameState, k: number, tick: number): void {
  const m = moments[k]!;
  state.tick = tick;
  state.surges = m.surges;
  state.sale = m.sale;
  state.rentRise = m.rentRise;
  state.chaos = m.chaos;
  state.lastArrivals = m.lastArrivals;
}

/**
 * How many ticks stepMany(state, maxTicks) will run (0 when the game is not running): a fold that hands
 * commands to the businesses' turns needs to know which ones fall inside the stretch.
 */
export function plannedStretch(state: GameState, maxTicks: number): number {
  if (state.status !== 'running' || maxTicks < 1) return 0;
  return stretchLength(state, Math.min(maxTicks, MAX_STRETCH));
}

/**
 * Advances a running game by up to `maxTicks` ticks (at least one while it runs), with exactly the
 * result of calling step() that many times, and returns how many it advanced. `turns`: commands that
 * take effect for one business at ticks inside the stretch (see BusinessTurns), applied as if each had
 * been applied to the room at its tick boundary; the room-wide ones (joins, kicks, teacher events) must
 * end the stretch instead (the caller stops at them).
 *
 * Why: with thousands of businesses, stepping tick by tick walks every business's state every tick,
 * and that state (tens of MB) does not stay in the CPU's caches: most of a tick's time went to cache
 * misses. Businesses never interact, so over a stretch of ticks in which nothing room-wide happens to
 * them (no scheduled event, no chaos strike, no room-wide command) the room's part is done first for
 * every tick (teacher effects expiring, the common customers drawn), then each business runs the whole
 * stretch, taking its own turns, while its state is hot. Each business sees the same operations in the
 * same order as under step(), so every float and the hash are identical (pinned in
 * test/unit/determinism.test.ts, and compared with step() in test/unit/checkpoint.test.ts).
 */
export function stepMany(state: GameState, maxTicks: number, turns: BusinessTurns | null = null): number {
  const n = plannedStretch(state, maxTicks);
  if (n === 0) return 0;
  const start = state.tick;
  const players = state.players;
  if (n === 1) {
    // A room-wide moment at this tick (or one tick left): the turns, in player order, then one step.
    if (turns !== null)
      for (let i = 0; i < players.length; i++) {
        const p = players[i]!;
        if (!p.removed && turns.first(p, i, start) === start) turns.turn(state, p, i, start);
      }
    step(state);
    return 1;
  }
  // The room's part of every tick of the stretch, in step()'s order.
  for (let k = 0; k < n; k++) {
    const tick = start + k;
    state.tick = tick;
    if (turns !== null) saveMoment(state, k);
    expireEffects(state, tick);
    // No strike in the stretch (ticksBeforeStrike), but the draws that found none are made here.
    if (applyChaos(state)) throw new Error(`chaos struck inside a stretch at tick ${tick}`);
    drawArrivals(state, stretchArrivals[k]!);
    // Per tick, as step() does: the next tick's moment (a turn inside the stretch) reads it.
    state.lastArrivals = stretchArrivals[k]!.length;
    stretchRent[k] = state.rentRise ? state.rentRise.value : 1;
  }
  if (turns !== null) saveMoment(state, n); // the room as the stretch leaves it, put back after the turns
  // Each business's part, the whole stretch at once.
  const caches = cacheList(state);
  const sc = state.scenario;
  for (let i = 0; i < players.length; i++) {
    const p = players[i]!;
    if (p.removed) continue;
    let due = turns !== null ? turns.first(p, i, start) : Infinity;
    // The next tick at which the business's cash may bring its turn forward (BusinessTurns.cashAtLeast),
    // and the cash that does. The cash is compared where the turn would be taken, so it is the cash at
    // that tick's boundary, before the tick's timers and customers, as a turn (and step()'s caller) sees it.
    // A check that brings no turn only splits the business's span: tickSpan makes the same additions
    // in the same order either way, and the wake cache is kept.
    let check = Infinity;
    let enough = Infinity;
    // Inside the business's stretch only its own turns and timers change its stands (tickSpan keeps
    // the cache exact): the cache is looked up again after those, not at every tick.
    let cache: WakeCache | null = null;
    let k = 0;
    while (k < n) {
      const tick = start + k;
      if (tick === check) {
        if (p.cash >= enough) due = tick;
        else check = tick + turns!.cashEvery < due ? tick + turns!.cashEvery : Infinity;
      }
      if (tick === due) {
        enterMoment(state, k, tick);
        due = turns!.turn(state, p, i, tick);
        enough = turns!.cashAtLeast;
        check = enough !== Infinity && tick + turns!.cashEvery < due ? tick + turns!.cashEvery : Infinity;
        cache = null;
      }
      if (tick >= p.nextTimer) {
        finishTimers(p, tick);
        markDirty(p);
        cache = null;
      }
      cache ??= wakeCacheAt(sc, caches, i, p);
      // Up to its next turn, cash check or timer (all after this tick) the business runs on its own.
      const end = Math.max(k + 1, Math.min(n, due - start, check - start, p.nextTimer - start));
      tickSpan(state, p, stretchArrivals, stretchRent, k, end, cache, start);
      k = end;
    }
  }
  if (turns !== null) enterMoment(state, n, start + n);
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
