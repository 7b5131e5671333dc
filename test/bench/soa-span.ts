/**
 * A PROTOTYPE, not the game's code (issue 13, seventh round, docs/performance.md): player-tick.ts's
 * tickSpan over a structure-of-arrays mirror of one business's stands, to measure whether that layout
 * would pay before converting the state. The object state stays the truth between spans: a per-business
 * mirror (typed arrays: a stand's doubles in one cache line of a Float64Array, its integers in an
 * Int32Array, its line as a ring of customer ids into a customer table of [t, work, patience, regular])
 * is loaded when the wake cache is rebuilt (the stands changed outside tickSpan), is the truth during
 * the span and is written back to the stands the span touched at its end. The same operations in the
 * same order as the real core, so the same doubles: soa-proto-bench.ts checks the end hash of whole
 * games. It runs in a patched copy of shared/ (soa-proto-bench.ts makes it: step.ts calls this instead
 * of tickSpan, and the wake cache counts its rebuilds in `gen`), so the game's code carries no hook.
 */
import type { Customer, GameState, Player, Stand } from '../../shared/sim/state.ts';
import type { WakeCache } from '../../shared/sim/wake-cache.ts';
import { SECONDS_PER_TICK, WAIT_BUCKETS, WAIT_BUCKET_SECONDS } from '../../shared/sim/constants.ts';
import { tickSpan } from '../../shared/sim/player-tick.ts';
import { lbWorking, notebookWorking } from '../../shared/sim/topology.ts';

const NOBODY_WAITING = 1e15;
const RING = 16; // maxLine <= RING (Lemonade Week: 12); a scenario without a cap falls back to the real core
const MASK = RING - 1;

/** The customer table: [t, work, patience, regular] by customer id (ids are dense from 0 in a game). */
const CMAX = 1 << 18;
const CU = new Float64Array(4 * CMAX);
const cObj: Customer[] = [];

function know(c: Customer): number {
  const id = c.id;
  if (cObj[id] !== c) {
    if (id >= CMAX) throw new Error('customer table full');
    cObj[id] = c;
    const b = id << 2;
    CU[b] = c.t;
    CU[b + 1] = c.work;
    CU[b + 2] = c.patience;
    CU[b + 3] = c.regular;
  }
  return id;
}

const ST_OPEN = 0;
const ST_BUILDING = 1;
const ST_SWAPPING = 2;
const ST_FAILED = 3;
// Doubles of stand i at F[i * 8 + ...], integers at I[i * 8 + ...]: a stand's numbers in one cache line.
const REM = 0;
const SYN = 1;
const SINCE = 2;
const MINDL = 3;
const RATE = 4;
const ST = 0;
const SERV = 1;
const HEAD = 2;
const QLEN = 3;
const SRVD = 4;
const GAVE = 5;
const ARR = 6;
const BLK = 7;

class Mirror {
  gen = -1;
  n = 0;
  F: Float64Array;
  I: Int32Array;
  R: Int32Array;
  touched: Uint8Array;
  constructor(size: number) {
    this.F = new Float64Array(size * 8);
    this.I = new Int32Array(size * 8);
    this.R = new Int32Array(size * RING);
    this.touched = new Uint8Array(size);
  }
}

const mirrors = new WeakMap<WakeCache, Mirror>();

/** What the mirror costs, counted: spans, reloads (the wake cache was rebuilt), stands loaded and written back. */
export const soaCounts = { spans: 0, reloads: 0, loaded: 0, written: 0 };

function statusCode(s: Stand): number {
  switch (s.status) {
    case 'open':
      return ST_OPEN;
    case 'building':
      return ST_BUILDING;
    case 'swapping':
      return ST_SWAPPING;
    default:
      return ST_FAILED;
  }
}

/** The wake cache of the patched copy counts its rebuilds (soa-proto-bench.ts). */
type CountedCache = WakeCache & { gen: number };

function mirrorOf(cache: WakeCache, p: Player, rates: readonly number[]): Mirror {
  const gen = (cache as CountedCache).gen;
  if (gen === undefined) throw new Error("soa-span.ts runs in soa-proto-bench.ts's patched copy of shared/");
  let mr = mirrors.get(cache);
  if (mr !== undefined && mr.gen === gen) return mr;
  const stands = p.stands;
  if (mr === undefined || mr.touched.length < stands.length) {
    mr = new Mirror(cache.wake.length);
    mirrors.set(cache, mr);
  }
  mr.gen = gen;
  mr.n = stands.length;
  soaCounts.reloads++;
  soaCounts.loaded += stands.length;
  const { F, I, R } = mr;
  for (let i = 0; i < stands.length; i++) {
    const s = stands[i]!;
    const b = i << 3;
    I[b + ST] = statusCode(s);
    F[b + RATE] = rates[s.tier - 1]!;
    F[b + REM] = s.remaining;
    F[b + SYN] = s.syncedAt;
    F[b + SINCE] = s.servingSince;
    F[b + MINDL] = s.minDeadline;
    I[b + SERV] = s.serving === null ? -1 : know(s.serving);
    const q = s.queue;
    if (q.length > RING) throw new Error('line longer than the ring');
    I[b + HEAD] = 0;
    I[b + QLEN] = q.length;
    for (let j = 0; j < q.length; j++) R[i * RING + j] = know(q[j]!);
    I[b + SRVD] = s.served;
    I[b + GAVE] = s.gaveUp;
    I[b + ARR] = s.arrived;
    I[b + BLK] = s.balked;
    mr.touched[i] = 0;
  }
  return mr;
}

function writeBack(mr: Mirror, stands: Stand[]): void {
  const { F, I, R, touched } = mr;
  soaCounts.spans++;
  for (let i = 0; i < mr.n; i++) {
    if (touched[i] === 0) continue;
    touched[i] = 0;
    soaCounts.written++;
    const s = stands[i]!;
    const b = i << 3;
    s.remaining = F[b + REM]!;
    s.syncedAt = F[b + SYN]!;
    s.servingSince = F[b + SINCE]!;
    s.minDeadline = F[b + MINDL]!;
    const sv = I[b + SERV]!;
    s.serving = sv < 0 ? null : cObj[sv]!;
    const q = s.queue;
    const len = I[b + QLEN]!;
    const h = I[b + HEAD]!;
    for (let j = 0; j < len; j++) q[j] = cObj[R[i * RING + ((h + j) & MASK)]!]!;
    q.length = len;
    s.served = I[b + SRVD]!;
    s.gaveUp = I[b + GAVE]!;
    s.arrived = I[b + ARR]!;
    s.balked = I[b + BLK]!;
  }
}

// The business's metrics during a span (written back at its end; the same additions in the same order).
const M = new Float64Array(16);
const CASH = 0;
const REV = 1;
const SERVED = 2;
const IMP = 3;
const BALK = 4;
const OUTAGE = 5;
const FAILOVER = 6;
const LINE = 7;
const WAITSUM = 8;
const SYS = 9;
const WORK = 10;
const PEAK = 11;
const hist = new Int32Array(WAIT_BUCKETS);
const histTouched: number[] = [];

// The span's context (module state: one business at a time).
let gF: Float64Array = new Float64Array(8);
let gI: Int32Array = new Int32Array(8);
let gR: Int32Array = new Int32Array(RING);
let gT: Uint8Array = new Uint8Array(1);
let gN = 0;
let P: Player;
let cacheC: WakeCache;
let HOP = 0;
let CUP = 0;
let TAB_CUPS = 0;
let stateless = false;
let MAXLINE = 0;

function leaveImpatient(I: Int32Array, b: number, c: number, hop: number): void {
  M[IMP]++;
  M[LINE] += Math.max(0, CU[(c << 2) + 2]! - hop);
  I[b + GAVE]++;
}

function serveUntil(i: number, t1: number, arriving: number): void {
  const F = gF;
  const I = gI;
  const R = gR;
  const C = CU;
  const b = i << 3;
  const r = F[b + RATE]!;
  const hop = HOP;
  let t = F[b + SYN]!;
  for (;;) {
    if (I[b + SERV]! < 0) {
      let next = -1;
      if (arriving >= 0) {
        const c = arriving;
        arriving = -1;
        const cb = c << 2;
        if (t - C[cb]! + hop > C[cb + 2]!) leaveImpatient(I, b, c, hop);
        else next = c;
      }
      if (next < 0 && I[b + QLEN] === 0) return;
      while (next < 0 && I[b + QLEN]! > 0) {
        const h = I[b + HEAD]!;
        const c = R[i * RING + h]!;
        I[b + HEAD] = (h + 1) & MASK;
        I[b + QLEN]--;
        const cb = c << 2;
        if (t - C[cb]! + hop > C[cb + 2]!) {
          leaveImpatient(I, b, c, hop);
          continue;
        }
        next = c;
        break;
      }
      if (next < 0) return;
      const nb = next << 2;
      I[b + SERV] = next;
      F[b + REM] = C[nb + 1]!;
      F[b + SINCE] = t;
      M[LINE] += t - C[nb]!;
      const wait = t - C[nb]! + hop;
      M[WAITSUM] += wait;
      const k = Math.min(Math.floor(wait / WAIT_BUCKET_SECONDS), WAIT_BUCKETS - 1);
      if (hist[k]++ === 0) histTouched.push(k);
    }
    const finish = t + F[b + REM]! / r;
    if (finish > t1) {
      F[b + REM] -= (t1 - t) * r;
      return;
    }
    t = finish;
    const done = I[b + SERV]!;
    const db = done << 2;
    I[b + SERV] = -1;
    F[b + REM] = 0;
    I[b + SRVD]++;
    M[SERVED]++;
    M[SYS] += t - C[db]! + hop;
    M[WORK] += C[db + 1]!;
    const reg = C[db + 3]!;
    if (reg < 0) {
      M[CASH] += CUP;
      M[REV] += CUP;
    } else {
      const tabs = stateless ? P.notebookTabs : P.stands[i]!.tabs;
      const cups = (tabs[reg] ?? 0) + 1;
      if (cups >= TAB_CUPS) {
        tabs[reg] = undefined;
        const amount = TAB_CUPS * CUP;
        M[CASH] += amount;
        M[REV] += amount;
      } else tabs[reg] = cups;
    }
  }
}

function letImpatientGo(i: number, t: number): void {
  const F = gF;
  const I = gI;
  const R = gR;
  const C = CU;
  const hop = HOP;
  const b = i << 3;
  const base = i * RING;
  const h = I[b + HEAD]!;
  const len = I[b + QLEN]!;
  let kept = 0;
  let min = NOBODY_WAITING;
  for (let j = 0; j < len; j++) {
    const c = R[base + ((h + j) & MASK)]!;
    const cb = c << 2;
    if (t - C[cb]! + hop > C[cb + 2]!) leaveImpatient(I, b, c, hop);
    else {
      R[base + ((h + kept++) & MASK)] = c;
      const deadline = C[cb]! + C[cb + 2]! - hop;
      if (deadline < min) min = deadline;
    }
  }
  I[b + QLEN] = kept;
  F[b + MINDL] = min;
}

function advanceTo(i: number, t: number): void {
  const F = gF;
  const I = gI;
  const b = i << 3;
  gT[i] = 1;
  if (I[b + ST] === ST_OPEN) {
    if (I[b + SERV]! >= 0 || I[b + QLEN]! > 0) serveUntil(i, t, -1);
    F[b + SYN] = t;
  }
  if (I[b + QLEN] === 0) F[b + MINDL] = NOBODY_WAITING;
  else if (F[b + MINDL]! <= t) letImpatientGo(i, t);
}

function arrive(i: number, c: number, t: number): boolean {
  const F = gF;
  const I = gI;
  const b = i << 3;
  gT[i] = 1;
  I[b + ARR]++;
  const len = I[b + QLEN]!;
  if (len >= MAXLINE) {
    M[BALK]++;
    I[b + GAVE]++;
    I[b + BLK]++;
    return false;
  }
  const cb = c << 2;
  const deadline = CU[cb]! + CU[cb + 2]! - HOP;
  if (deadline < F[b + MINDL]!) F[b + MINDL] = deadline;
  const open = I[b + ST] === ST_OPEN;
  if (open && I[b + SERV]! < 0 && len === 0) {
    F[b + SYN] = t;
    serveUntil(i, t, c);
    return true;
  }
  gR[i * RING + ((I[b + HEAD]! + len) & MASK)] = c;
  I[b + QLEN] = len + 1;
  if (open && I[b + SERV]! < 0) {
    F[b + SYN] = t;
    serveUntil(i, t, -1);
  }
  if (I[b + QLEN]! > M[PEAK]!) M[PEAK] = I[b + QLEN]!;
  return true;
}

function isIdle(c: WakeCache, i: number): boolean {
  const rate = c.openRate[i]!;
  return c.ahead[i] === 0 && rate !== 0 && rate === c.bestRate;
}

function refresh(c: WakeCache, i: number): void {
  const F = gF;
  const I = gI;
  const b = i << 3;
  const qlen = I[b + QLEN]!;
  const serving = I[b + SERV]!;
  const deadline = qlen === 0 ? Infinity : F[b + MINDL]!;
  let w: number;
  if (I[b + ST] !== ST_OPEN) w = deadline;
  else if (serving < 0) w = qlen === 0 ? Infinity : -Infinity;
  else {
    const finish = F[b + SYN]! + F[b + REM]! / F[b + RATE]!;
    w = finish <= deadline ? finish : deadline;
  }
  c.wake[i] = w;
  if (w < c.nextWake) c.nextWake = w;
  c.ahead[i] = qlen + (serving >= 0 ? 1 : 0);
  const word = i >> 5;
  const bit = 1 << (i & 31);
  c.idle[word] = isIdle(c, i) ? c.idle[word]! | bit : c.idle[word]! & ~bit;
}

function firstIdle(c: WakeCache): number {
  const lo = c.idle[0]!;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = c.idle[1]!;
  return hi !== 0 ? 63 - Math.clz32(hi & -hi) : -1;
}

let NOW = 0; // the moment lines are brought to (the customer's arrival, or the tick's end)

function sync(i: number): void {
  advanceTo(i, NOW);
  refresh(cacheC, i);
}

function peopleAt(i: number): number {
  if (cacheC.wake[i]! <= NOW) sync(i);
  return cacheC.ahead[i]!;
}

function balance(p: Player, c: Customer): number {
  const cache = cacheC;
  const n = gN;
  if (p.lbPolicy === 'least-queue') {
    const { ahead, openRate, wake, nextWake } = cache;
    const t = c.t;
    const someDue = nextWake <= t;
    const idle = firstIdle(cache);
    if (idle >= 0) {
      if (someDue)
        for (let i = 0; i < idle; i++) {
          if (openRate[i] === 0 || wake[i]! > t) continue;
          sync(i);
          if (isIdle(cache, i)) return i;
        }
      return idle;
    }
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < n; i++) {
      const rate = openRate[i]!;
      if (rate === 0) continue;
      if (someDue && wake[i]! <= t) sync(i);
      if (isIdle(cache, i)) return i;
      const score = (ahead[i]! + 1) / rate;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
  const I = gI;
  let open = 0;
  for (let i = 0; i < n; i++) if (I[(i << 3) + ST] === ST_OPEN) open++;
  if (open === 0) return -1;
  const k = p.lbPolicy === 'random' ? Math.floor(c.route * open) : p.rrCursor++ % open;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (I[(i << 3) + ST] !== ST_OPEN) continue;
    if (seen++ === k) return i;
  }
  return -1;
}

const R_OUTAGE = -1;
const R_FAILOVER = -2;

function route(p: Player, c: Customer, tick: number): number {
  if (!notebookWorking(p, tick)) return R_OUTAGE;
  const sticky = c.regular >= 0 && !stateless;
  if (sticky) {
    const recovering = p.regularRecovering[c.regular];
    if (recovering !== undefined && recovering > tick) return R_FAILOVER;
  }
  const ids = cacheC.ids;
  const I = gI;
  if (p.lbs.length === 0) {
    if (gN === 0 || I[ST] !== ST_OPEN) return R_OUTAGE;
    if (sticky) p.regularHome[c.regular] = ids[0]!;
    return 0;
  }
  if (!lbWorking(p, tick)) return R_OUTAGE;
  if (sticky) {
    const homeId = p.regularHome[c.regular];
    if (homeId !== undefined) {
      let i = -1;
      for (let j = 0; j < gN; j++)
        if (ids[j] === homeId) {
          i = j;
          break;
        }
      if (i >= 0 && I[(i << 3) + ST] !== ST_FAILED) {
        const atHome = peopleAt(i);
        const full = MAXLINE;
        const homeFull = atHome - (I[(i << 3) + SERV]! >= 0 ? 1 : 0) >= full;
        if (!homeFull && atHome === 0 && I[(i << 3) + ST] === ST_OPEN) return i;
        const other = balance(p, c);
        if (other < 0 || other === i) return i;
        const there = peopleAt(other);
        const otherHasRoom = there - (I[(other << 3) + SERV]! >= 0 ? 1 : 0) < full;
        if (there > 0 && !(homeFull && otherHasRoom)) return i;
        // rehome
        const from = p.stands[i]!;
        const to = p.stands[other]!;
        const tab = from.tabs[c.regular];
        if (tab !== undefined) {
          from.tabs[c.regular] = undefined;
          to.tabs[c.regular] = (to.tabs[c.regular] ?? 0) + tab;
        }
        p.regularHome[c.regular] = ids[other]!;
        return other;
      }
      delete p.regularHome[c.regular];
    }
  }
  const chosen = balance(p, c);
  if (chosen < 0) return R_OUTAGE;
  if (sticky) p.regularHome[c.regular] = ids[chosen]!;
  return chosen;
}

/** Drop-in for player-tick.ts's tickSpan (same arguments, same result). */
export function soaTickSpan(
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
  const maxLine = sc.customers.maxLine;
  if (maxLine === null || maxLine > RING) {
    tickSpan(state, p, arrivals, rentFactors, from, to, cache, start);
    return;
  }
  MAXLINE = maxLine;
  const mr = mirrorOf(cache, p, sc.blenderRates);
  gF = mr.F;
  gI = mr.I;
  gR = mr.R;
  gT = mr.touched;
  gN = mr.n;
  P = p;
  cacheC = cache;
  HOP = cache.hop;
  CUP = sc.prices.cup;
  TAB_CUPS = sc.customers.tabCups;
  stateless = p.notebook !== null;
  const m = p.m;
  M[CASH] = p.cash;
  M[REV] = m.revenue;
  M[SERVED] = m.served;
  M[IMP] = m.lost.impatient;
  M[BALK] = m.lost.balked;
  M[OUTAGE] = m.lost.outage;
  M[FAILOVER] = m.lost.failover;
  M[LINE] = m.lineSum;
  M[WAITSUM] = m.waitSum;
  M[SYS] = m.systemSum;
  M[WORK] = m.workServed;
  M[PEAK] = m.peakLine;
  const wake = cache.wake;
  const n = mr.n;
  const rentBase = n * sc.prices.standRentPerSecond * SECONDS_PER_TICK;
  const capacity = cache.openCapacity * SECONDS_PER_TICK;
  let rentSum = m.rent;
  let capacitySum = m.capacitySeconds;
  for (let k = from; k < to; k++) {
    const tick = start + k;
    const list = arrivals[k]!;
    for (let a = 0; a < list.length; a++) {
      const c = list[a]!;
      NOW = c.t;
      const at = route(p, c, tick);
      if (at < 0) {
        if (at === R_OUTAGE) M[OUTAGE]++;
        else M[FAILOVER]++;
        continue;
      }
      const id = know(c);
      const due = wake[at]! <= c.t;
      if (due) advanceTo(at, c.t);
      if (arrive(at, id, c.t) || due) refresh(cache, at);
    }
    const tEnd = (tick + 1) * SECONDS_PER_TICK;
    if (cache.nextWake < tEnd) {
      NOW = tEnd;
      let next = Infinity;
      for (let i = 0; i < n; i++) {
        let w = wake[i]!;
        if (w < tEnd) {
          sync(i);
          w = wake[i]!;
        }
        if (w < next) next = w;
      }
      cache.nextWake = next;
    }
    const rent = rentBase * rentFactors[k]!;
    M[CASH] -= rent;
    rentSum += rent;
    capacitySum += capacity;
  }
  m.rent = rentSum;
  m.capacitySeconds = capacitySum;
  p.cash = M[CASH]!;
  m.revenue = M[REV]!;
  m.served = M[SERVED]!;
  m.lost.impatient = M[IMP]!;
  m.lost.balked = M[BALK]!;
  m.lost.outage = M[OUTAGE]!;
  m.lost.failover = M[FAILOVER]!;
  m.lineSum = M[LINE]!;
  m.waitSum = M[WAITSUM]!;
  m.systemSum = M[SYS]!;
  m.workServed = M[WORK]!;
  m.peakLine = M[PEAK]!;
  if (histTouched.length > 0) {
    const wh = m.waitHist;
    for (let j = 0; j < histTouched.length; j++) {
      const b = histTouched[j]!;
      wh[b] = (wh[b] ?? 0) + hist[b]!;
      hist[b] = 0;
    }
    histTouched.length = 0;
  }
  writeBack(mr, p.stands);
  if (to > from) {
    m.activeTicks += to - from;
    m.availableTicks += availableTicks(p, cache, start + from, start + to);
  }
}

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
