import type { GameState, Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';

/**
 * An acceleration structure for tickPlayer, kept beside the state (never in it): for each stand, the
 * moment before which it has nothing to do unless a customer arrives, in one contiguous array, plus the
 * fastest open blender. Scanning 52 stand objects scattered over the heap for each of 2,000 players
 * every tick was the simulation's biggest cost; this array is read instead.
 *
 * A stand can be left alone until its wake time: its cup blends on past it and nobody in line gives up
 * before it (the work done meanwhile is settled from syncedAt). So its line length (`ahead`) is exact at
 * any moment before its wake, and a balancer comparing lines only brings up to date the stands whose
 * wake has passed. wakeOf() is that rule, and it is computed only from the state (and stored after every
 * visit), so having the cache or not never changes a result: a state without one (a new game, a
 * snapshot) just rebuilds it. Whatever changes stands outside tickPlayer (commands, events, chaos,
 * repairs and builds) must call markDirty, and does.
 */
export interface WakeCache {
  /** Per stand position: skip the stand while tick end <= this (and nobody arrives). */
  wake: Float64Array;
  stands: number;
  /** Fastest blender among open stands (least-queue's early exit). */
  bestRate: number;
  /** Per stand: people waiting plus the one in service, as of the stand's last visit (exact until wake). */
  ahead: Int32Array;
  /** Per stand: blender rate if open, else 0 (what the balancer may choose from). */
  openRate: Float64Array;
  /** Sum of openRate: cups per second the open blenders can blend (for utilisation). */
  openCapacity: number;
}

const caches = new WeakMap<Player, WakeCache>();

/**
 * When stand `s` next changes by itself (seconds): its cup finishes or someone in line gives up.
 * +Infinity: nothing will happen until someone arrives; -Infinity: visit it now.
 */
export function wakeOf(sc: Scenario, s: Stand): number {
  const deadline = s.queue.length === 0 ? Infinity : s.minDeadline;
  if (s.status !== 'open') return deadline;
  if (s.serving === null) return s.queue.length === 0 ? Infinity : -Infinity;
  // The same expression as serveUntil's, so the same float.
  const finish = s.syncedAt + s.remaining / sc.blenderRates[s.tier - 1]!;
  return finish <= deadline ? finish : deadline;
}

export function aheadOf(s: Stand): number {
  return s.queue.length + (s.serving ? 1 : 0);
}

export function wakeCache(sc: Scenario, p: Player): WakeCache {
  const stands = p.stands;
  let c = caches.get(p);
  if (!c || c.stands !== stands.length) {
    const n = Math.max(8, stands.length);
    c = {
      wake: new Float64Array(n),
      stands: stands.length,
      bestRate: 0,
      openCapacity: 0,
      ahead: new Int32Array(n),
      openRate: new Float64Array(n),
    };
    caches.set(p, c);
    let best = 0;
    let capacity = 0;
    for (let i = 0; i < stands.length; i++) {
      const s = stands[i]!;
      c.wake[i] = wakeOf(sc, s);
      c.ahead[i] = aheadOf(s);
      c.openRate[i] = s.status === 'open' ? sc.blenderRates[s.tier - 1]! : 0;
      if (c.openRate[i]! > best) best = c.openRate[i]!;
      capacity += c.openRate[i]!;
    }
    c.bestRate = best;
    c.openCapacity = capacity;
  }
  return c;
}

export function markDirty(p: Player): void {
  caches.delete(p);
}

export function markAllDirty(state: GameState): void {
  for (const p of state.players) caches.delete(p);
}
