import type { PlayerResults } from '../shared/sim/results.ts';

/** A plain-text table of results for a terminal. */
export function resultsTable(rows: (PlayerResults & { rank: number })[]): string {
  const head = [
    '#',
    'player',
    'strategy',
    'profit',
    'served',
    'lost',
    'served %',
    'avail %',
    'in line',
    'p95',
    'in system',
    '$/cup',
    'setup',
  ];
  const body = rows.map((r) => [
    String(r.rank),
    r.name,
    r.strategy + (r.badges.length ? ` [${r.badges.join(',')}]` : ''),
    r.profit.toFixed(0),
    String(r.served),
    String(r.lost.total),
    (r.shareServed * 100).toFixed(1),
    (r.availability * 100).toFixed(1),
    r.meanWait.toFixed(2) + 's',
    r.p95Wait.toFixed(1) + 's',
    r.meanTimeInSystem.toFixed(2) + 's',
    r.costPerCup === null ? '-' : r.costPerCup.toFixed(2),
    `${r.stands} stand${r.stands === 1 ? '' : 's'}, tier ${r.maxTier}` +
      (r.loadBalancers ? `, ${r.loadBalancers} LB` : '') +
      (r.notebook ? ', notebook' : '') +
      (r.replica ? '+replica' : ''),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const right = new Set([0, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const fmt = (row: string[]) =>
    row
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}
