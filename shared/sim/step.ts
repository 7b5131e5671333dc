import type { Customer, GameState } from './state.ts';
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from './constants.ts';
import { closeLines } from './stand-service.ts';
import { drawArrivals } from './arrivals.ts';
import { applyChaos, applyTeacherEvent } from './apply-event.ts';
import { finishTimers } from './failures.ts';
import { settleTabs } from './ledger.ts';
import { tickPlayer } from './player-tick.ts';
import { cacheList, markAllDirty, markDirty, wakeCacheAt } from './wake-cache.ts';

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
  state.surges = state.surges.filter((s) => s.untilTick > tick);
  if (state.sale && state.sale.untilTick <= tick) state.sale = null;
  if (state.rentRise && state.rentRise.untilTick <= tick) state.rentRise = null;

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
    if (!p.removed) tickPlayer(state, p, arrivals, rentFactor, wakeCacheAt(sc, caches, i, p));
  }

  state.tick = tick + 1;
  if (state.tick >= durationTicks(state)) endGame(state);
}

/** Ends the game: outstanding tabs are paid up, as regulars settle at the end of the week. */
export function endGame(state: GameState): void {
  if (state.status === 'ended') return;
  state.status = 'ended';
  for (const p of state.players) {
    if (p.removed) continue;
    closeLines(p, state.tick * SECONDS_PER_TICK);
    p.notebookTabs = settleTabs(state, p, p.notebookTabs);
    for (const s of p.stands) s.tabs = settleTabs(state, p, s.tabs);
  }
}
