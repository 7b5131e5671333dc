import type { Scenario } from '../scenarios/schema.ts';
import { BOT_KINDS, type BotKind } from '../sim/commands.ts';
import { playerResults } from '../sim/results.ts';
import { playBotGame } from './bot-game.ts';

/**
 * Is a scenario balanced? Every reference bot plays it over several seeds (all in one room: they face
 * the same customers), and each strategy's profit is summarised: mean, a 95% confidence interval, mean
 * rank, and how often it ranks first and last. `npm run balance` prints it; the lesson tests assert on it.
 */
export interface StrategyBalance {
  bot: BotKind;
  profits: number[];
  mean: number;
  /** Half-width of the 95% confidence interval of the mean (Student's t). */
  ci95: number;
  meanRank: number;
  /** Seeds in which this bot had the highest profit, and the lowest. */
  first: number;
  last: number;
}

export interface BalanceReport {
  scenario: string;
  seeds: number[];
  teaches: BotKind | null;
  /** By mean profit, best first. */
  rows: StrategyBalance[];
}

/** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (beyond: the normal's 1.96). */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

function ci95(xs: number[], mean: number): number {
  if (xs.length < 2) return 0;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  const t = T95[xs.length - 2] ?? 1.96;
  return (t * Math.sqrt(variance)) / Math.sqrt(xs.length);
}

export function scenarioBalance(
  scenario: Scenario,
  seeds: number[],
  bots: readonly BotKind[] = BOT_KINDS,
): BalanceReport {
  const profits = bots.map(() => [] as number[]);
  const ranks = bots.map(() => 0);
  const first = bots.map(() => 0);
  const last = bots.map(() => 0);
  for (const seed of seeds) {
    const g = playBotGame({ scenario, seed, bots: [...bots] });
    const p = g.state.players.map((pl) => playerResults(g.state, pl).profit);
    p.forEach((x, i) => profits[i]!.push(x));
    const order = p.map((x, i) => ({ x, i })).sort((a, b) => b.x - a.x || a.i - b.i);
    order.forEach(({ i }, r) => (ranks[i]! += r + 1));
    first[order[0]!.i]!++;
    last[order[order.length - 1]!.i]!++;
  }
  const rows = bots.map((bot, i) => {
    const xs = profits[i]!;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      bot,
      profits: xs,
      mean,
      ci95: ci95(xs, mean),
      meanRank: ranks[i]! / seeds.length,
      first: first[i]!,
      last: last[i]!,
    };
  });
  rows.sort((a, b) => b.mean - a.mean);
  return { scenario: scenario.id, seeds, teaches: scenario.teaches ?? null, rows };
}
