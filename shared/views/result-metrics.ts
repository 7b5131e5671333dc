import type { PlayerResults, SortKey } from '../sim/results.ts';
import { money, pct, secs } from './number-format.ts';

/** One number of a player's results, as every results table shows it. */
export interface ResultMetric {
  key: 'profit' | 'served' | 'lost' | SortKey;
  /** Column header in tables; a longer label where there is room (final screen, what-if). */
  short: string;
  label: string;
  text: (r: PlayerResults) => string;
  /** The number compared (what-if ▲/▼); null when there is none (no cup sold yet). */
  value: (r: PlayerResults) => number | null;
  higherIsBetter: boolean;
}

/**
 * The list of result metrics, in order: the student's final screen, the leaderboards (teacher,
 * results, replay), the what-if comparison and the terminal's results table (cli/results-table.ts) all
 * read it, so they show the same numbers the same way.
 */
export const RESULT_METRICS: readonly ResultMetric[] = [
  {
    key: 'profit',
    short: 'Profit',
    label: 'Profit',
    text: (r) => money(r.profit),
    value: (r) => r.profit,
    higherIsBetter: true,
  },
  {
    key: 'served',
    short: 'Served',
    label: 'Customers served',
    text: (r) => String(r.served),
    value: (r) => r.served,
    higherIsBetter: true,
  },
  {
    key: 'lost',
    short: 'Lost',
    label: 'Customers lost',
    text: (r) => String(r.lost.total),
    value: (r) => r.lost.total,
    higherIsBetter: false,
  },
  {
    key: 'shareServed',
    short: 'Share served',
    label: 'Share of customers served',
    text: (r) => pct(r.shareServed),
    value: (r) => r.shareServed,
    higherIsBetter: true,
  },
  {
    key: 'availability',
    short: 'Open',
    label: 'Open for business',
    text: (r) => pct(r.availability),
    value: (r) => r.availability,
    higherIsBetter: true,
  },
  {
    key: 'p95Wait',
    short: 'p95 wait',
    label: 'Wait (p95)',
    text: (r) => secs(r.p95Wait),
    value: (r) => r.p95Wait,
    higherIsBetter: false,
  },
  {
    key: 'costPerCup',
    short: 'Cost/cup',
    label: 'Cost per cup',
    text: (r) => (r.costPerCup === null ? '—' : money(r.costPerCup)),
    value: (r) => r.costPerCup,
    higherIsBetter: false,
  },
];

/** The short list the projector and compact tables show. */
export const COMPACT_METRICS = RESULT_METRICS.filter((m) =>
  (['profit', 'served', 'availability'] as string[]).includes(m.key),
);

/** A profit or cost below zero reads as a loss: marked by a sign, not by colour alone. */
export function metricClass(m: ResultMetric, r: PlayerResults): string {
  return m.key === 'profit' && r.profit < 0 ? 'neg' : '';
}
