import type { SeriesSpec } from '../charts/time-chart.ts';
import type { ReplayModel } from './replay-model.ts';
import { SERIES_COLOURS } from '../ui/theme.ts';

/** One whole-game chart of the watched player: title, y axis, its series and their data. */
export interface WatchedChart {
  title: string;
  yLabel: string;
  series: SeriesSpec[];
  /** x (game seconds) then one array per series. */
  data: number[][];
}

/** The four charts of a player over the whole game (none for an unknown player). */
export function watchedCharts(model: ReplayModel, playerId: string): WatchedChart[] {
  const p = model.series.players.find((x) => x.id === playerId);
  if (!p) return [];
  const t = model.series.t;
  const start = model.log.header.scenario.startingCash;
  const defs: [string, string, SeriesSpec[], number[][]][] = [
    [
      'Profit',
      'dollars',
      [{ label: 'profit', stroke: SERIES_COLOURS.profit }],
      [p.cash.map((c) => Math.round(c - start))],
    ],
    [
      'Served and lost',
      'customers',
      [
        { label: 'served', stroke: SERIES_COLOURS.served },
        { label: 'lost', stroke: SERIES_COLOURS.lost, dash: [8, 4] },
      ],
      [p.served, p.lost],
    ],
    [
      'Demand and capacity',
      'per second',
      [
        { label: 'customers/s', stroke: SERIES_COLOURS.demand },
        { label: 'capacity cups/s', stroke: SERIES_COLOURS.capacity, dash: [8, 4] },
      ],
      [model.series.demand, p.capacity],
    ],
    ['People in line', 'people', [{ label: 'in line', stroke: SERIES_COLOURS.line }], [p.line]],
  ];
  return defs.map(([name, yLabel, series, ys]) => ({
    title: `${name}: ${p.name}`,
    yLabel,
    series,
    data: [t, ...ys],
  }));
}
