import type { FinalResults } from '../../../shared/protocol/views.ts';

/** One row per player, with every number of the final screen; quoted so names with commas survive. */
export function resultsCsv(r: FinalResults): string {
  const head = [
    'rank',
    'name',
    'bot',
    'strategy',
    'badges',
    'profit',
    'cash',
    'revenue',
    'spent',
    'rent',
    'served',
    'lost_total',
    'lost_balked',
    'lost_impatient',
    'lost_outage',
    'lost_failover',
    'share_served',
    'availability',
    'mean_wait_s',
    'p95_wait_s',
    'cost_per_cup',
    'stands',
    'max_tier',
    'load_balancers',
    'notebook',
    'replica',
  ];
  const rows = r.leaderboard.map((p) => [
    p.rank,
    p.name,
    p.bot ?? '',
    p.strategy,
    p.badges.join(' '),
    p.profit,
    p.cash,
    p.revenue,
    p.spent,
    p.rent,
    p.served,
    p.lost.total,
    p.lost.balked,
    p.lost.impatient,
    p.lost.outage,
    p.lost.failover,
    p.shareServed.toFixed(4),
    p.availability.toFixed(4),
    p.meanWait.toFixed(2),
    p.p95Wait.toFixed(2),
    p.costPerCup ?? '',
    p.stands,
    p.maxTier,
    p.loadBalancers,
    p.notebook,
    p.replica,
  ]);
  return [head, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(v: unknown): string {
  const s = String(v);
  // Quote anything a spreadsheet could misread; a leading = + - @ would become a formula.
  const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
