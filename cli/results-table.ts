import type { PlayerResults } from '../shared/sim/results.ts';
import { RESULT_METRICS } from '../shared/views/result-metrics.ts';
import { playerLabel } from '../shared/views/player-label.ts';

/** Columns only a terminal has room for, after the result metrics every screen shows. */
const DETAILS: { head: string; text: (r: PlayerResults) => string }[] = [
  { head: 'in line', text: (r) => r.meanWait.toFixed(2) + 's' },
  { head: 'in system', text: (r) => r.meanTimeInSystem.toFixed(2) + 's' },
  {
    head: 'setup',
    text: (r) =>
      `${r.stands} stand${r.stands === 1 ? '' : 's'}, tier ${r.maxTier}` +
      (r.loadBalancers ? `, ${r.loadBalancers} LB` : '') +
      (r.notebook ? ', notebook' : '') +
      (r.replica ? '+replica' : ''),
  },
];

/**
 * A plain-text table of results for a terminal: rank, player, strategy, then the result metrics
 * (shared/views/result-metrics.ts, the list the browser's tables read, in its words and formats), then
 * the terminal's details.
 */
export function resultsTable(rows: (PlayerResults & { rank: number })[]): string {
  const head = [
    '#',
    'player',
    'strategy',
    ...RESULT_METRICS.map((m) => m.short),
    ...DETAILS.map((d) => d.head),
  ];
  const body = rows.map((r) => [
    String(r.rank),
    playerLabel(r),
    r.strategy + (r.badges.length ? ` [${r.badges.join(',')}]` : ''),
    ...RESULT_METRICS.map((m) => m.text(r)),
    ...DETAILS.map((d) => d.text(r)),
  ]);
  // Numbers line up on the right; names and the setup on the left.
  const left = new Set([1, 2, head.length - 1]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}
