/**
 * Scenario balance: plays every reference bot over N seeds and prints each strategy's mean profit with
 * a 95% confidence interval, its mean rank, and how often it ranks first and last.
 *   npm run balance -- <built-in scenario | scenario.json | all> [--seeds N] [--json]
 */
import { BUILT_IN_SCENARIO_IDS } from '../shared/scenarios/index.ts';
import { scenarioBalance, type BalanceReport } from '../shared/bots/strategy-balance.ts';
import { loadScenario } from './scenario-source.ts';
import { UsageError, parseOneArg, runCli } from './usage-error.ts';

const USAGE = `usage: npm run balance -- <scenario | all> [--seeds N] [--json]
  <scenario>   a built-in scenario id (${BUILT_IN_SCENARIO_IDS.join(', ')}), a scenario JSON file, or all
  --seeds N    play seeds 1..N (default 10, at most 500)
  --json       print the figures as JSON`;

function parseSeeds(text: string | undefined): number {
  if (text === undefined) return 10;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 500)
    throw new UsageError(`--seeds must be an integer from 1 to 500, not "${text}"`);
  return Number(text);
}

/** A plain-text table: one line per strategy, best mean profit first. */
export function balanceTable(r: BalanceReport, name: string): string {
  const n = r.seeds.length;
  const head = [
    'rank',
    'strategy',
    'mean profit',
    '95% CI',
    'mean rank',
    `first (of ${n})`,
    `last (of ${n})`,
  ];
  const body = r.rows.map((row, i) => [
    String(i + 1),
    row.bot + (row.bot === r.teaches ? ' (taught)' : ''),
    row.mean.toFixed(0),
    `± ${row.ci95.toFixed(0)}`,
    row.meanRank.toFixed(2),
    String(row.first),
    String(row.last),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const best = r.rows[0]!;
  const taught = r.teaches ? r.rows.find((row) => row.bot === r.teaches) : undefined;
  const lines = [
    `${name} (${r.scenario}), seeds ${r.seeds[0]}..${r.seeds[n - 1]}`,
    '',
    fmt(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(fmt),
    '',
    `best strategy: ${best.bot}, first in ${best.first} of ${n} seeds`,
  ];
  if (taught) lines.push(`taught strategy: ${taught.bot}, first in ${taught.first} of ${n} seeds`);
  return lines.join('\n');
}

runCli(() => {
  const cli = parseOneArg(
    { seeds: { type: 'string' }, json: { type: 'boolean', default: false } },
    USAGE,
    'scenario',
  );
  if (!cli) return;
  const n = parseSeeds(cli.values.seeds);
  const seeds = Array.from({ length: n }, (_, i) => i + 1);
  const scenarios = cli.arg === 'all' ? BUILT_IN_SCENARIO_IDS.map(loadScenario) : [loadScenario(cli.arg)];
  const reports = scenarios.map((sc) => ({ sc, report: scenarioBalance(sc, seeds) }));
  if (cli.values.json) {
    process.stdout.write(
      JSON.stringify(
        reports.map((r) => r.report),
        null,
        2,
      ) + '\n',
    );
    return;
  }
  process.stdout.write(reports.map(({ sc, report }) => balanceTable(report, sc.name)).join('\n\n') + '\n');
});
