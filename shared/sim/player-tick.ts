import type { Customer, GameState, LostCounts, Player } from './state.ts';
import type { WakeCache } from './wake-cache.ts';
import { SECONDS_PER_TICK } from './constants.ts';
import { routeCustomer, type LiveLines } from './routing.ts';
import { advanceTo, arrive, type Moment } from './stand-service.ts';
import { refreshStand } from './wake-cache.ts';

/**
 * The lines of the business being ticked, kept exact at each arrival (routing.ts's LiveLines), and the
 * moment they are brought to (stand-service.ts's Moment). One object reused for every business, so the
 * balancer's calls stay monomorphic and nothing is allocated.
 */
class TickLines implements LiveLines, Moment {
  state!: GameState;
  p!: Player;
  cache!: WakeCache;
  t = 0.5;
  hop = 0.5;

  sync(i: number): void {
    const s = this.p.stands[i]!;
    advanceTo(this.state, this.p, s, this);
    refreshStand(this.cache, this.state.scenario, s, i);
  }
}

const lines = new TickLines();

/**
 * Ticks `start + from` to `start + to - 1` of one business (state.tick may be elsewhere: step.ts's
 * stepMany runs a stretch of ticks business by business), with nothing else happening to it in between
 * (no command, no build or repair finishing: the caller stops the span at those). Each tick: that tick's
 * common customers (`arrivals[k]`) in time order, each routed with the lines as they are at its arrival
 * (stands are brought up to that moment as needed), then every stand with something due is brought to
 * the end of the tick; then the rent, times `rentFactors[k]`.
 *
 * One call per span rather than per tick: what stays the same over the span (the stands, the rent
 * before the teacher's factor, the open capacity) is read once, and a 2,000-player game makes 12 million
 * business-ticks. (Floats come in arrays: as arguments they would be boxed on the heap at every call.)
 */
export function tickSpan(
  state: GameState,
  p: Player,
  arrivals: Customer[][],
  rentFactors: Float64Array,
  from: number,
  to: number,
  cache: WakeCache,
  start: number,
): void {
  const sc = state.scenario;
  const stands = p.stands;
  const wake = cache.wake;
  const m = p.m;
  lines.state = state;
  lines.p = p;
  lines.cache = cache;
  lines.hop = cache.hop;
  // The same products, in the same order, as one tick's `stands.length * rent * SECONDS_PER_TICK * factor`.
  const rentBase = stands.length * sc.prices.standRentPerSecond * SECONDS_PER_TICK;
  const capacity = cache.openCapacity * SECONDS_PER_TICK;
  // Sums only this loop adds to, kept in locals over the span: the same additions in the same order.
  let rentSum = m.rent;
  let capacitySum = m.capacitySeconds;
  for (let k = from; k < to; k++) {
    const tick = start + k;
    const list = arrivals[k]!;
    for (let a = 0; a < list.length; a++) {
      const c = list[a]!;
      lines.t = c.t;
      const at = routeCustomer(sc, p, c, tick, null, lines);
      if (typeof at === 'string') {
        countLost(m.lost, at);
        continue;
      }
      const s = stands[at]!;
      const due = wake[at]! <= c.t;
      if (due) advanceTo(state, p, s, lines);
      // A customer who balked left the stand as its cache has it (a quarter of the 2,000-player week's
      // customers balk at a full line: their refresh was wasted), unless it was just brought up to date.
      if (arrive(state, p, s, c, lines) || due) refreshStand(cache, sc, s, at);
    }
    const tEnd = (tick + 1) * SECONDS_PER_TICK;
    // Most stands have nothing due in most ticks: idle, or one cup blending on. Skip them, and skip the
    // whole business when none is due (nextWake bounds them all from below).
    if (cache.nextWake < tEnd) {
      lines.t = tEnd;
      let next = Infinity;
      const n = stands.length;
      for (let i = 0; i < n; i++) {
        let w = wake[i]!;
        if (w < tEnd) {
          lines.sync(i);
          w = wake[i]!;
        }
        if (w < next) next = w;
      }
      cache.nextWake = next;
    }

    // (The cash is earned in the same ticks: its rent is taken tick by tick, in order.)
    const rent = rentBase * rentFactors[k]!;
    p.cash -= rent;
    rentSum += rent;
    capacitySum += capacity;
  }
  m.rent = rentSum;
  m.capacitySeconds = capacitySum;
  if (to > from) {
    m.activeTicks += to - from;
    m.availableTicks += availableTicks(p, cache, start + from, start + to);
  }
}

/**
 * lost[reason]++, spelled out: a property named by a variable is looked up generically (V8's megamorphic
 * keyed load and store), a named one directly. A new kind of loss fails to compile here until counted.
 */
function countLost(lost: LostCounts, reason: keyof LostCounts): void {
  switch (reason) {
    case 'balked':
      lost.balked++;
      return;
    case 'impatient':
      lost.impatient++;
      return;
    case 'outage':
      lost.outage++;
      return;
    case 'failover':
      lost.failover++;
      return;
    default: {
      const unknown: never = reason;
      throw new Error(`unknown loss ${String(unknown)}`);
    }
  }
}

/**
 * How many of ticks `from` to `to - 1` a customer arriving could have been served in: topology.ts's
 * isAvailable, tick by tick, counted at once. Over a span only the tick moves: the components' failures
 * and repairs, the stands' statuses and the failovers' ends change outside tickSpan (which marks the
 * cache dirty), so each test is a threshold on the tick. "Is a stand open" is read from the cache's open
 * rates (rates are positive) instead of the stand objects.
 */
function availableTicks(p: Player, cache: WakeCache, from: number, to: number): number {
  let first = from;
  const notebook = p.notebook;
  if (notebook !== null) {
    const replica = p.replica;
    if (!(notebook.failedUntil < 0 || (replica !== null && replica.failedUntil < 0))) return 0;
    if (p.notebookFailoverUntil > first) first = p.notebookFailoverUntil;
  }
  const lbs = p.lbs;
  if (lbs.length === 0) {
    if (!(cache.stands > 0 && cache.openRate[0]! > 0)) return 0;
  } else {
    let up = false;
    for (let i = 0; i < lbs.length; i++) if (lbs[i]!.failedUntil < 0) up = true;
    if (!up || !(cache.openCapacity > 0)) return 0;
    if (p.lbFailoverUntil > first) first = p.lbFailoverUntil;
  }
  return to > first ? to - first : 0;
}
