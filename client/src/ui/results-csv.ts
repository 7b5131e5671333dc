import type { FinalResults } from '../../../shared/protocol/views.ts';
import { clock } from './format.ts';

/**
 * One row per player, with every number of the final screen, and the class name on every row (files of
 * several classes can be pasted into one sheet). Opens right in spreadsheet programs: a
 * UTF-8 byte-order mark first (Excel otherwise reads names with accents or emoji as Latin-1), CRLF line
 * ends, and every text field quoted (names with commas, quotes or line breaks survive).
 */
export function resultsCsv(r: FinalResults): string {
  const head = [
    'class',
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
    'purchases',
    'debrief',
  ];
  // The teacher's results carry each player's report (purchases and debrief): one text cell each.
  const reports = new Map((r.reports ?? []).map((x) => [x.id, x]));
  const rows = r.leaderboard.map((p) => [
    r.className ?? '',
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
    Number(p.shareServed.toFixed(4)),
    Number(p.availability.toFixed(4)),
    Number(p.meanWait.toFixed(2)),
    Number(p.p95Wait.toFixed(2)),
    p.costPerCup ?? '',
    p.stands,
    p.maxTier,
    p.loadBalancers,
    p.notebook,
    p.replica,
    (reports.get(p.id)?.purchases ?? []).map((x) => `${clock(x.second)} ${x.text}`).join('; '),
    (reports.get(p.id)?.debrief ?? [])
      .map((e) => {
        // "(lost 0)" for a surge inside a chaos window read as if the surge cost nothing.
        const earlier = e.countedUnder;
        const lost = earlier ? `lost ${e.lost} more than told at ${clock(earlier.second)}` : `lost ${e.lost}`;
        return `${clock(e.second)}-${clock(e.until)} ${e.title} (${lost})`;
      })
      .join('; '),
  ]);
  return BOM + [head, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const BOM = '\uFEFF';

function cell(v: unknown): string {
  if (typeof v === 'number') return String(v);
  const s = String(v);
  // A leading = + - @ would become a formula in a spreadsheet: a quote mark keeps it text.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}
