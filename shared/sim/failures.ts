import type { Component, GameState, Player, Stand } from './state.ts';
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from './constants.ts';
import { loseTabs } from './ledger.ts';
import { routeCustomer } from './routing.ts';
import { joinLine, NOBODY_WAITING } from './stand-service.ts';
import { hopSeconds, isStateless } from './topology.ts';

/**
 * What happens to the people and the tabs at a stand that stops for good or for a while (failure or
 * sale). Stateless (notebook): its line is re-routed to the other stands and nothing is lost. Stateful:
 * its line is lost, its regulars' tabs are gone, and their sessions take the scenario's failover time to
 * recover (lesson L8: stateless failover ~0 s, stateful seconds to minutes).
 */
export function evacuateStand(state: GameState, p: Player, s: Stand, tick: number): void {
  const people = s.serving ? [s.serving, ...s.queue] : s.queue.slice();
  const now = tick * SECONDS_PER_TICK;
  const waiting = s.queue;
  s.serving = null;
  s.remaining = 0;
  s.queue = [];
  s.minDeadline = NOBODY_WAITING;
  if (isStateless(p)) {
    const at = { t: now, hop: hopSeconds(state.scenario, p) };
    for (const c of people) {
      const to = routeCustomer(state.scenario, p, c, tick, s, null);
      if (typeof to === 'string') {
        p.m.lost[to]++;
        p.m.lineSum += now - c.t;
      } else {
        const to2 = p.stands[to]!;
        to2.arrived++;
        joinLine(state, p, to2, c, at);
      }
    }
    return;
  }
  p.m.lost.outage += people.length;
  for (const c of waiting) p.m.lineSum += now - c.t;
  s.tabs = loseTabs(p, s.tabs);
  const recoverUntil = tick + Math.round(state.scenario.timings.statefulFailoverSeconds * TICKS_PER_SECOND);
  for (const key in p.regularHome) {
    if (p.regularHome[key] === s.id) {
      delete p.regularHome[key];
      if (recoverUntil > tick) p.regularRecovering[key] = recoverUntil;
    }
  }
}

export function failStand(state: GameState, p: Player, s: Stand, repairTicks: number): void {
  if (s.status === 'failed') return;
  evacuateStand(state, p, s, state.tick);
  s.status = 'failed';
  s.until = state.tick + repairTicks;
  armTimer(p, s.until);
}

/**
 * The active load balancer fails. With a second one, active-passive needs a short failover during which
 * nobody is routed; active-active just carries on (lesson L9).
 */
export function failLoadBalancer(state: GameState, p: Player, repairTicks: number): void {
  const lb = p.lbs.find((b) => b.failedUntil < 0);
  if (!lb) return;
  lb.failedUntil = state.tick + repairTicks;
  armTimer(p, lb.failedUntil);
  const otherUp = p.lbs.some((b) => b.failedUntil < 0);
  if (otherUp && p.lbMode === 'active-passive') {
    p.lbFailoverUntil = state.tick + Math.round(state.scenario.timings.lbFailoverSeconds * TICKS_PER_SECOND);
  }
}

/**
 * The notebook (or, if it is already down, its replica) fails. With a working replica the tabs survive
 * and the replica takes over after a short failover; without one the tabs written in it are lost.
 */
export function failNotebook(state: GameState, p: Player, repairTicks: number): void {
  const target =
    p.notebook && p.notebook.failedUntil < 0
      ? p.notebook
      : p.replica && p.replica.failedUntil < 0
        ? p.replica
        : null;
  if (!target) return;
  target.failedUntil = state.tick + repairTicks;
  armTimer(p, target.failedUntil);
  const other = target === p.notebook ? p.replica : p.notebook;
  if (other && other.failedUntil < 0) {
    p.notebookFailoverUntil =
      state.tick + Math.round(state.scenario.timings.notebookFailoverSeconds * TICKS_PER_SECOND);
  } else {
    p.notebookTabs = loseTabs(p, p.notebookTabs);
  }
}

/** No timer pending (JSON-safe, unlike Infinity). */
export const NO_TIMER = 1e15;

/** Remembers that something of this business changes at `tick` (a build, a swap, a repair). */
export function armTimer(p: Player, tick: number): void {
  if (tick < p.nextTimer) p.nextTimer = tick;
}

/** Builds, blender swaps and repairs that finish at this tick. */
export function finishTimers(p: Player, tick: number): void {
  if (tick < p.nextTimer) return; // nothing due: the common case, without looking at every stand
  let next = NO_TIMER;
  for (const s of p.stands) {
    if (s.status === 'open') continue;
    if (s.until <= tick) {
      s.status = 'open';
      s.until = -1;
      s.syncedAt = tick * SECONDS_PER_TICK; // nothing blended while it was closed
    } else if (s.until < next) next = s.until;
  }
  // (Component by component, not over a new array of them: this runs at every build's end too.)
  for (let i = 0; i < p.lbs.length; i++) next = repairBy(p.lbs[i]!, tick, next);
  if (p.notebook !== null) next = repairBy(p.notebook, tick, next);
  if (p.replica !== null) next = repairBy(p.replica, tick, next);
  p.nextTimer = next;
  // Expired entries of p.regularRecovering stay: routing compares them with the tick, and scanning that
  // map every tick for every player would cost more than all the rest of this function.
}

/** A failed component whose repair is due is working again; returns the next timer, counting its repair. */
function repairBy(c: Component, tick: number, next: number): number {
  if (c.failedUntil < 0) return next;
  if (c.failedUntil <= tick) {
    c.failedUntil = -1;
    return next;
  }
  return c.failedUntil < next ? c.failedUntil : next;
}
