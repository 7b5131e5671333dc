import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { ReplayChart } from '../replay/replay-chart.ts';
import type { ReplayModel } from '../replay/replay-model.ts';
import { watchedCharts } from '../replay/watched-charts.ts';
import { h } from '../ui/dom.ts';

/** The watched player's four whole-game charts (replay/watched-charts.ts); a click on one seeks there. */
export class ReplayCharts {
  readonly el = h('section', {
    class: 'panel charts replay-charts',
    'aria-label': 'Charts of the watched player',
  });
  private charts: ReplayChart[] = [];

  constructor(
    private readonly model: ReplayModel,
    private readonly onSeek: (tick: number) => void,
  ) {}

  watch(playerId: string): void {
    this.destroy();
    const onSeek = (s: number): void => this.onSeek(s * TICKS_PER_SECOND);
    for (const c of watchedCharts(this.model, playerId)) {
      const chart = new ReplayChart(c.title, c.series, c.data, { yLabel: c.yLabel, onSeek });
      this.charts.push(chart);
      this.el.append(chart.el);
    }
  }

  setPlayhead(seconds: number): void {
    for (const c of this.charts) c.setPlayhead(seconds);
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }
}
