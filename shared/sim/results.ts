import type { GameState, Player } from './state.ts';
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
  lost: { balked: number; impatient: number; outage: number; failover: number; total: number };
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

export function waitPercentile(p: Player, q: number): number {
  let total = 0;
  for (const k in p.m.waitHist) total += p.m.waitHist[k]!;
  if (total === 0) return 0;
  const target = q * total;
  let seen = 0;
  for (const k in p.m.waitHist) {
    seen += p.m.waitHist[k]!;
    // Upper edge of the bucket: the reported p95 never flatters.
    if (seen >= target) return (Number(k) + 1) * WAIT_BUCKET_SECONDS;
  }
  return 0;
}

function waitCount(p: Player): number {
  let n = 0;
  for (const k in p.m.waitHist) n += p.m.waitHist[k]!;
  return n;
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

export function playerResults(state: GameState, p: Player): PlayerResults {
  const m = p.m;
  const lostTotal = m.lost.balked + m.lost.impatient + m.lost.outage + m.lost.failover;
  const waits = waitCount(p);
  const costs = m.spent + m.rent - m.refunds;
  return {
    id: p.id,
    name: p.name,
    bot: p.bot,
    cash: round2(p.cash),
    profit: round2(p.cash - state.scenario.startingCash),
    revenue: round2(m.revenue),
    spent: round2(m.spent),
    rent: round2(m.rent),
    served: m.served,
    lost: { ...m.lost, total: lostTotal },
    tabCupsLost: m.tabCupsLost,
    shareServed: m.served + lostTotal === 0 ? 1 : m.served / (m.served + lostTotal),
    availability: m.activeTicks === 0 ? 1 : m.availableTicks / m.activeTicks,
    meanWait: waits === 0 ? 0 : m.waitSum / waits,
    p95Wait: waitPercentile(p, 0.95),
    meanTimeInSystem: m.served === 0 ? 0 : m.systemSum / m.served,
    meanLine: m.activeTicks === 0 ? 0 : m.lineSum / (m.activeTicks * SECONDS_PER_TICK),
    utilisation: m.capacitySeconds === 0 ? 0 : m.workServed / m.capacitySeconds,
    costPerCup: m.served === 0 ? null : round2(costs / m.served),
    strategy: strategyOf(p),
    badges: badgesOf(p),
    stands: p.stands.length,
    maxTier: p.stands.reduce((t, s) => Math.max(t, s.tier), 0),
    loadBalancers: p.lbs.length,
    notebook: p.notebook !== null,
    replica: p.replica !== null,
  };
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export const SORT_KEYS = ['profit', 'shareServed', 'availability', 'p95Wait', 'costPerCup'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Ranked results; lower is better for waits and cost, higher for the rest; ties keep join order. */
export function leaderboard(
  state: GameState,
  sortBy: SortKey = 'profit',
): (PlayerResults & { rank: number })[] {
  const rows = state.players.filter((p) => !p.removed).map((p) => playerResults(state, p));
  const lowerIsBetter = sortBy === 'p95Wait' || sortBy === 'costPerCup';
  const value = (r: PlayerResults): number => {
    const v = r[sortBy];
    return v === null ? (lowerIsBetter ? Infinity : -Infinity) : v;
  };
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const d = lowerIsBetter ? value(a.r) - value(b.r) : value(b.r) - value(a.r);
      return d !== 0 && !Number.isNaN(d) ? d : a.i - b.i;
    });
  return sorted.map(({ r }, i) => ({ ...r, rank: i + 1 }));
}

export interface StrategySummary {
  strategy: StrategyLabel;
  players: number;
  medianProfit: number;
  medianAvailability: number;
  medianP95Wait: number;
  medianCostPerCup: number | null;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Per strategy label: how many players chose it and how it did (medians, so one outlier cannot skew it). */
export function strategyComparison(rows: PlayerResults[]): StrategySummary[] {
  const order: StrategyLabel[] = ['scale-up', 'scale-out', 'hybrid', 'no-scaling'];
  return order
    .map((strategy) => {
      const group = rows.filter((r) => r.strategy === strategy);
      const costs = group.map((r) => r.costPerCup).filter((c): c is number => c !== null);
      return {
        strategy,
        players: group.length,
        medianProfit: round2(median(group.map((r) => r.profit))),
        medianAvailability: median(group.map((r) => r.availability)),
        medianP95Wait: median(group.map((r) => r.p95Wait)),
        medianCostPerCup: costs.length ? round2(median(costs)) : null,
      };
    })
    .filter((s) => s.players > 0);
}
