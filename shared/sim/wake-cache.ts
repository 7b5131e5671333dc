import type { GameState, Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';

/**
 * An acceleration structure for tickPlayer, kept beside the state (never in it): for each stand, the
 * moment before which it has nothing to do unless a customer arrives, in one contiguous array, plus the
 * fastest open blender. Scanning 52 stand objects scattered over the heap for each of 2,000 players
 * every tick was the simulation's biggest cost; this array is read instead.
 *
 * A stand can be left alone for a tick when a cup is blending past the tick's end, nobody new arrives,
 * and nobody in line could give up before then (the work done meanwhile is settled from syncedAt).
 * wakeOf() is that rule, and it is computed only from the state, so having the cache or not never
 * changes a result: a state without one (a new game, a snapshot) just rebuilds it. Whatever changes stands outside
 * tickPlayer (commands, events, chaos, repairs and builds) must call markDirty, and does.
 */
export interface WakeCache {
  /** Per stand position: skip the stand while tick end <= this (and nobody arrives). */
  wake: Float64Array;
  stands: number;
  /** Fastest blender among open stands (least-queue's early exit). */
  bestRate: number;
  /** Per stand: people waiting plus the one in service, as of the start of this tick's routing. */
  ahead: Int32Array;
  /** Per stand: blender rate if open, else 0 (what the balancer may choose from). */
  openRate: Float64Array;
}

const caches = new WeakMap<Player, WakeCache>();

/** When stand `s` next needs a visit (seconds): +Infinity idle, -Infinity every tick. */
export function wakeOf(sc: Scenario, s: Stand): number {
  if (s.serving === null) return s.queue.length === 0 ? Infinity : -Infinity;
  if (s.status !== 'open') return -Infinity;
  // The same expression as canSkip, so the same float.
  const finish = s.syncedAt + s.remaining / sc.blenderRates[s.tier - 1]!;
  return s.queue.length === 0 || finish <= s.minDeadline ? finish : s.minDeadline;
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
      ahead: new Int32Array(n),
      openRate: new Float64Array(n),
    };
    caches.set(p, c);
    let best = 0;
    for (let i = 0; i < stands.length; i++) {
      const s = stands[i]!;
      c.wake[i] = wakeOf(sc, s);
      c.ahead[i] = aheadOf(s);
      c.openRate[i] = s.status === 'open' ? sc.blenderRates[s.tier - 1]! : 0;
      if (c.openRate[i]! > best) best = c.openRate[i]!;
    }
    c.bestRate = best;
  }
  return c;
}

export function markDirty(p: Player): void {
  caches.delete(p);
}

export function markAllDirty(state: GameState): void {
  for (const p of state.players) caches.delete(p);
}
