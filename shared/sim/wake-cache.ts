import type { GameState, Player, Stand } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { hopSeconds } from './topology.ts';

/**
 * An acceleration structure for tickSpan, kept beside the state (never in it): for each stand, the
 * moment before which it has nothing to do unless a customer arrives, in one contiguous array, plus the
 * fastest open blender. Scanning 52 stand objects scattered over the heap for each of 2,000 players
 * every tick was the simulation's biggest cost; this array is read instead.
 *
 * A stand can be left alone until its wake time: its cup blends on past it and nobody in line gives up
 * before it (the work done meanwhile is settled from syncedAt). So its line length (`ahead`) is exact at
 * any moment before its wake, and a balancer comparing lines only brings up to date the stands whose
 * wake has passed. wakeOf() is that rule, and it is computed only from the state (and stored after every
 * visit), so having the cache or not never changes a result: a state without one (a new game, a
 * snapshot) just rebuilds it. Whatever changes stands outside tickSpan (commands, events, chaos,
 * repairs and builds) must call markDirty, and does.
 */
export interface WakeCache {
  /** The business this cache describes (a list slot may hold another's after players change). */
  player: Player;
  /** Set by markDirty: rebuild before use. */
  dirty: boolean;
  /** Per stand position: skip the stand while tick end <= this (and nobody arrives). */
  wake: Float64Array;
  stands: number;
  /**
   * No stand wakes before this (a lower bound of `wake`, exact after each end-of-tick pass): a business
   * whose stands all blend on or stand idle is passed over without reading its stands at all.
   */
  nextWake: number;
  /** Fastest blender among open stands (least-queue's early exit). */
  bestRate: number;
  /**
   * Bit i (word i >> 5, bit i & 31): stand i is open with the fastest blender and nobody at it, as of its
   * last visit: least-queue's early exit, found without reading the stands before it (MAX_STANDS = 64).
   */
  idle: Int32Array;
  /** Per stand: people waiting plus the one in service, as of the stand's last visit (exact until wake). */
  ahead: Int32Array;
  /** Per stand: blender rate if open, else 0 (what the balancer may choose from). */
  openRate: Float64Array;
  /** Per stand position: the stand's id (a sticky regular's home is found here, not in the stand objects). */
  ids: Int32Array;
  /** Sum of openRate: cups per second the open blenders can blend (for utilisation). */
  openCapacity: number;
  /** hopSeconds of the business (it changes only with a purchase or sale: a command, which marks dirty). */
  hop: number;
}

/** For markDirty, which is given a player: its cache wherever it is listed. */
const byPlayer = new WeakMap<Player, WakeCache>();
/**
 * Per game, the caches by player position: step looks this list up once per tick instead of one
 * WeakMap lookup per business per tick (a hash probe, and a cache miss, for each of 2,000 players).
 */
const lists = new WeakMap<GameState, (WakeCache | undefined)[]>();

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

/**
 * Stores stand `s` (at position i) into the cache after a visit: its wake, the business's lower bound,
 * its line. Returns nothing: a float returned by a function V8 does not inline is boxed on the heap.
 */
export function refreshStand(c: WakeCache, sc: Scenario, s: Stand, i: number): void {
  const w = wakeOf(sc, s);
  c.wake[i] = w;
  if (w < c.nextWake) c.nextWake = w;
  c.ahead[i] = aheadOf(s);
  markIdle(c, i, isIdle(c, i));
}

/**
 * Stand i, as the cache has it, is open, has the fastest blender and nobody at it: least-queue sends a
 * customer to the first such stand (routing.ts). The one statement of that rule; `idle` holds its bits.
 */
export function isIdle(c: WakeCache, i: number): boolean {
  const rate = c.openRate[i]!;
  return c.ahead[i] === 0 && rate !== 0 && rate === c.bestRate;
}

function markIdle(c: WakeCache, i: number, idle: boolean): void {
  const word = i >> 5;
  const bit = 1 << (i & 31);
  c.idle[word] = idle ? c.idle[word]! | bit : c.idle[word]! & ~bit;
}

/** The first stand of `idle` (an open, fastest, empty one), or -1. */
export function firstIdle(c: WakeCache): number {
  const lo = c.idle[0]!;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = c.idle[1]!;
  return hi !== 0 ? 63 - Math.clz32(hi & -hi) : -1;
}

/** The caches of a game's players by position (see `lists`). */
export function cacheList(state: GameState): (WakeCache | undefined)[] {
  let list = lists.get(state);
  if (!list) {
    list = [];
    lists.set(state, list);
  }
  return list;
}

/** The up-to-date cache of the player at position `i` of `list` (rebuilt when stale). */
export function wakeCacheAt(sc: Scenario, list: (WakeCache | undefined)[], i: number, p: Player): WakeCache {
  const c = list[i];
  if (c !== undefined && c.player === p && !c.dirty && c.stands === p.stands.length) return c;
  const fresh = c !== undefined && c.player === p ? c : byPlayer.get(p);
  const built = rebuild(sc, p, fresh);
  list[i] = built;
  return built;
}

/** The up-to-date cache of a player, wherever it is (for callers without a position). */
export function wakeCache(sc: Scenario, p: Player): WakeCache {
  const c = byPlayer.get(p);
  if (c !== undefined && !c.dirty && c.stands === p.stands.length) return c;
  return rebuild(sc, p, c);
}

/** Fills a cache from the stands, reusing `c`'s arrays when they are big enough. */
function rebuild(sc: Scenario, p: Player, c: WakeCache | undefined): WakeCache {
  const stands = p.stands;
  if (!c || c.wake.length < stands.length) {
    // Room to grow: a business buying stands one by one would otherwise get four new arrays each time
    // (an ended game drops its caches, so this never counts in the heap a finished game holds).
    const n = Math.max(8, 2 * stands.length);
    c = {
      player: p,
      dirty: false,
      wake: new Float64Array(n),
      stands: 0,
      nextWake: -Infinity,
      bestRate: 0,
      idle: new Int32Array(2),
      ahead: new Int32Array(n),
      openRate: new Float64Array(n),
      ids: new Int32Array(n),
      openCapacity: 0,
      hop: 0,
    };
    byPlayer.set(p, c);
  }
  c.dirty = false;
  c.stands = stands.length;
  let best = 0;
  let capacity = 0;
  let next = Infinity;
  for (let i = 0; i < stands.length; i++) {
    const s = stands[i]!;
    const w = wakeOf(sc, s);
    c.wake[i] = w;
    if (w < next) next = w;
    c.ahead[i] = aheadOf(s);
    c.ids[i] = s.id;
    const rate = s.status === 'open' ? sc.blenderRates[s.tier - 1]! : 0;
    c.openRate[i] = rate;
    if (rate > best) best = rate;
    capacity += rate;
  }
  c.nextWake = next;
  c.bestRate = best;
  c.idle[0] = 0;
  c.idle[1] = 0;
  for (let i = 0; i < stands.length; i++) if (isIdle(c, i)) markIdle(c, i, true);
  c.openCapacity = capacity;
  c.hop = hopSeconds(sc, p);
  return c;
}

export function markDirty(p: Player): void {
  const c = byPlayer.get(p);
  if (c) c.dirty = true;
}

export function markAllDirty(state: GameState): void {
  for (const p of state.players) markDirty(p);
}

/** Forgets a game's caches (an ended game never ticks again: its memory is the state's alone). */
export function dropCaches(state: GameState): void {
  for (const p of state.players) byPlayer.delete(p);
  lists.delete(state);
}
