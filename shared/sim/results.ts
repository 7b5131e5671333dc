import type { GameState, LostCounts, Player } from './state.ts';
import type { BotKind } from './commands.ts';
import { SECONDS_PER_TICK, WAIT_BUCKET_SECONDS } from './constants.ts';

/** What the game reports about a business: the numbers on the final screen and the leaderboard. */

export type StrategyLabel = 'scale-up' | 'scale-out' | 'hybrid' | 'no-scaling';
export type Badge = 'stateless' | 'redundant';

export interface PlayerResults {
  id: string;
  name: string;
  bot: BotKind | null;
  cash: number;
  profit: number;
  revenue: number;
  spent: number;
  rent: number;
  served: number;
  /** Every kind of loss (state.ts's LostCounts: a new kind must be copied below to compile), and their sum. */
  lost: LostCounts & { total: number };
  tabCupsLost: number;
  /** served / (served + lost), 0..1 (1 when nobody came). */
  shareServed: number;
  /** Share of ticks in which an arriving customer could have been served, 0..1. */
  availability: number;
  /** Time in line: mean seconds from arrival until the blender starts (hops included), of those served. */
  meanWait: number;
  p95Wait: number;
  /**
   * Time in system: mean seconds from arrival until the cup is done (time in line plus blending), of
   * those served. One fast stand beats several slow ones of the same total capacity here (lesson L1).
   */
  meanTimeInSystem: number;
  /** Mean number of people waiting in the business's lines, over the seconds it played (Lq). */
  meanLine: number;
  /** Share of the open blenders' capacity that was used, 0..1 (rho). */
  utilisation: number;
  /** (purchases + rent - refunds) / cups served; null before the first cup. */
  costPerCup: number | null;
  strategy: StrategyLabel;
  badges: Badge[];
  stands: number;
  maxTier: number;
  loadBalancers: number;
  notebook: boolean;
  replica: boolean;
}

/**
 * The wait histogram read once: its buckets (ascending, as for-in gives integer keys) and counts into
 * these scratch lists, reused by every call. A for-in over the histogram's sparse keys collects and
 * sorts them each time; the leaderboard needs the count and the p95 of every player, so it reads each
 * histogram once, not once per figure.
 */
const histBuckets: number[] = [];
const histCounts: number[] = [];
/** How many entries of histBuckets/histCounts the last read filled (the lists are overwritten, never
 * emptied: setting an array's length to 0 drops its storage, and the next pushes allocate it again). */
let histLength = 0;

/** Reads `p`'s histogram into histBuckets/histCounts; returns the number of waits in it. */
function readWaitHist(p: Player): number {
  const hist = p.m.waitHist;
  let n = 0;
  let total = 0;
  for (const k in hist) {
    const count = hist[k]!;
    if (n === histBuckets.length) {
      histBuckets.push(0);
      histCounts.push(0);
    }
    histBuckets[n] = Number(k);
    histCounts[n] = count;
    n++;
    total += count;
  }
  histLength = n;
  return total;
}

/** The q-quantile of the histogram last read by readWaitHist, which held `total` waits. */
function histPercentile(q: number, total: number): number {
  if (total === 0) return 0;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < histLength; i++) {
    seen += histCounts[i]!;
    // Upper edge of the bucket: the reported p95 never flatters.
    if (seen >= target) return (histBuckets[i]! + 1) * WAIT_BUCKET_SECONDS;
  }
  return 0;
}

export function waitPercentile(p: Player, q: number): number {
  return histPercentile(q, readWaitHist(p));
}

/** The strategy a player's purchases show: blenders (up), stands (out), both (hybrid), or neither. */
export function strategyOf(p: Player): StrategyLabel {
  const up = p.purchases.upgrades > 0;
  const out = p.purchases.stands > 0;
  return up && out ? 'hybrid' : up ? 'scale-up' : out ? 'scale-out' : 'no-scaling';
}

export function badgesOf(p: Player): Badge[] {
  const badges: Badge[] = [];
  if (p.notebook) badges.push('stateless');
  // Redundant: no single point of failure left: two stands, two balancers, and a replica if a notebook.
  if (p.stands.length >= 2 && p.lbs.length >= 2 && (!p.notebook || p.replica)) badges.push('redundant');
  return badges;
}

const NO_LOSSES = { balked: 0, impatient: 0, outage: 0, failover: 0, total: 0 };
const NO_BADGES: Badge[] = [];

/**
 * A row before it is filled, each field holding a value of the kind it will hold: the figures that can
 * be fractions start as one, so V8 keeps them as doubles from the first row on. Rows written straight
 * from the game start with whole numbers (cash 1000, no wait yet), and each figure's first fraction
 * changed the rows' hidden class and threw away the compiled code that reads rows (the leaderboard, the
 * class view, the server's rank list): a dozen times in the first seconds of a game, again when a
 * business first bought (cost per cup, maxima).
 */
function blankRow(): PlayerResults {
  return {
    id: '',
    name: '',
    bot: null,
    cash: 0.5,
    profit: 0.5,
    revenue: 0.5,
    spent: 0.5,
    rent: 0.5,
    served: 0,
    lost: NO_LOSSES,
    tabCupsLost: 0,
    shareServed: 0.5,
    availability: 0.5,
    meanWait: 0.5,
    p95Wait: 0.5,
    meanTimeInSystem: 0.5,
    meanLine: 0.5,
    utilisation: 0.5,
    costPerCup: null,
    strategy: 'no-scaling',
    badges: NO_BADGES,
    stands: 0,
    maxTier: 0,
    loadBalancers: 0,
    notebook: false,
    replica: false,
  };
}

export function playerResults(state: GameState, p: Player): PlayerResults {
  const m = p.m;
  const lost = m.lost;
  const lostTotal = lost.balked + lost.impatient + lost.outage + lost.failover;
  const waits = readWaitHist(p);
  const costs = m.spent + m.rent - m.refunds;
  let maxTier = 0;
  for (const s of p.stands) if (s.tier > maxTier) maxTier = s.tier;
  const r = blankRow();
  r.id = p.id;
  r.name = p.name;
  r.bot = p.bot;
  r.cash = round2(p.cash);
  r.profit = round2(p.cash - state.scenario.startingCash);
  r.revenue = round2(m.revenue);
  r.spent = round2(m.spent);
  r.rent = round2(m.rent);
  r.served = m.served;
  r.lost = {
    balked: lost.balked,
    impatient: lost.impatient,
    outage: lost.outage,
    failover: lost.failover,
    total: lostTotal,
  };
  r.tabCupsLost = m.tabCupsLost;
  r.shareServed = m.served + lostTotal === 0 ? 1 : m.served / (m.served + lostTotal);
  r.availability = m.activeTicks === 0 ? 1 : m.availableTicks / m.activeTicks;
  r.meanWait = waits === 0 ? 0 : m.waitSum / waits;
  r.p95Wait = histPercentile(0.95, waits);
  r.meanTimeInSystem = m.served === 0 ? 0 : m.systemSum / m.served;
  r.meanLine = m.activeTicks === 0 ? 0 : m.lineSum / (m.activeTicks * SECONDS_PER_TICK);
  r.utilisation = m.capacitySeconds === 0 ? 0 : m.workServed / m.capacitySeconds;
  r.costPerCup = m.served === 0 ? null : round2(costs / m.served);
  r.strategy = strategyOf(p);
  r.badges = badgesOf(p);
  r.stands = p.stands.length;
  r.maxTier = maxTier;
  r.loadBalancers = p.lbs.length;
  r.notebook = p.notebook !== null;
  r.replica = p.replica !== null;
  return r;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export const SORT_KEYS = ['profit', 'shareServed', 'availability', 'p95Wait', 'costPerCup'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export type RankedResults = PlayerResults & { rank: number };

/**
 * The leaderboard's sort, without a closure or a wrapper object per call: the rows' keys and their join
 * order go into these lists, and one comparator (made once) orders the row numbers by them.
 */
const sortKeys: number[] = [];
let sortLowerIsBetter = false;
function byKeyThenJoin(a: number, b: number): number {
  const d = sortLowerIsBetter ? sortKeys[a]! - sortKeys[b]! : sortKeys[b]! - sortKeys[a]!;
  // Equal keys (and two missing costs: Infinity - Infinity) keep join order.
  return d !== 0 && !Number.isNaN(d) ? d : a - b;
}

/**
 * Whether rows a and b have equal keys. A function of its own, like the comparator: the leaderboard runs
 * once a second and often stays unoptimised, and there each key read from the double array was boxed (a
 * heap number, ~20 KB a call for 1,000 rows); this small function is called for every row, is optimised
 * early, and returns a boolean (docs/performance.md, "Shared ranks").
 */
function sameKey(a: number, b: number): boolean {
  return sortKeys[a] === sortKeys[b];
}

/**
 * Ranked results; lower is better for waits and cost, higher for the rest. Equal keys share a rank
 * (standard competition ranking: 1, 2, 2, 4), so equal results get the same medal and everyone is tied
 * before the first customer; among equals the rows keep join order. Ranks tie on the sort key alone.
 */
export function leaderboard(state: GameState, sortBy: SortKey = 'profit'): RankedResults[] {
  const lowerIsBetter = sortBy === 'p95Wait' || sortBy === 'costPerCup';
  const rows: RankedResults[] = [];
  const order: number[] = [];
  for (const p of state.players) {
    if (p.removed) continue;
    const row = playerResults(state, p) as RankedResults;
    // Every row gets its rank the same way, so all rows keep one shape (one hidden class in V8).
    row.rank = 0;
    const v = row[sortBy];
    // Overwritten, never emptied (see histLength): entries past this call's rows are not read.
    sortKeys[rows.length] = v === null ? (lowerIsBetter ? Infinity : -Infinity) : v;
    order.push(rows.length);
    rows.push(row);
  }
  sortLowerIsBetter = lowerIsBetter;
  order.sort(byKeyThenJoin);
  const ranked: RankedResults[] = [];
  for (let i = 0; i < order.length; i++) {
    const row = rows[order[i]!]!;
    // A key equal to the one before shares its rank (two missing costs are equal too: both Infinity).
    row.rank = i > 0 && sameKey(order[i]!, order[i - 1]!) ? ranked[i - 1]!.rank : i + 1;
    ranked.push(row);
  }
  return ranked;
}

export interface StrategySummary {
  strategy: StrategyLabel;
  players: number;
  medianProfit: number;
  medianAvailability: number;
  medianP95Wait: number;
  medianCostPerCup: number | null;
}

function ascending(a: number, b: number): number {
  return a - b;
}

export function median(xs: number[]): number {
  return medianInPlace(xs.slice());
}

/** The median of a list of the caller's own, which it sorts. */
function medianInPlace(s: number[]): number {
  if (s.length === 0) return 0;
  s.sort(ascending);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const STRATEGY_ORDER: readonly StrategyLabel[] = ['scale-up', 'scale-out', 'hybrid', 'no-scaling'];

/** Per strategy label: how many players chose it and how it did (medians, so one outlier cannot skew it). */
export function strategyComparison(rows: PlayerResults[]): StrategySummary[] {
  const out: StrategySummary[] = [];
  for (const strategy of STRATEGY_ORDER) {
    const profits: number[] = [];
    const availabilities: number[] = [];
    const waits: number[] = [];
    const costs: number[] = [];
    for (const r of rows) {
      if (r.strategy !== strategy) continue;
      profits.push(r.profit);
      availabilities.push(r.availability);
      waits.push(r.p95Wait);
      if (r.costPerCup !== null) costs.push(r.costPerCup);
    }
    if (profits.length === 0) continue;
    out.push({
      strategy,
      players: profits.length,
      medianProfit: round2(medianInPlace(profits)),
      medianAvailability: medianInPlace(availabilities),
      medianP95Wait: medianInPlace(waits),
      medianCostPerCup: costs.length ? round2(medianInPlace(costs)) : null,
    });
  }
  return out;
}
