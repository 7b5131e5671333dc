import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { gameTimeChartOptions, type SeriesSpec } from '../charts/time-chart.ts';
import { SERIES_COLOURS } from '../ui/theme.ts';

/**
 * A whole-game chart for replays (x in game seconds): all the data at once, a playhead at the replay's
 * current second, and a click on the plot seeks there. The numbers are also in the page as text (the
 * debrief, the HUD, the tables), so the canvas is decoration for screen readers.
 */
export class ReplayChart {
  readonly el: HTMLElement;
  private readonly plot: uPlot;
  private playhead = 0;
  private readonly ro: ResizeObserver;

  constructor(
    title: string,
    series: SeriesSpec[],
    data: number[][],
    opts: { height?: number; yLabel?: string; onSeek?: (seconds: number) => void } = {},
  ) {
    this.el = document.createElement('figure');
    this.el.className = 'chart replay-chart';
    this.el.setAttribute('aria-label', title);
    this.plot = new uPlot(
      {
        ...gameTimeChartOptions(title, series, {
          height: opts.height ?? 200,
          yLabel: opts.yLabel,
          lineWidth: 2,
        }),
        hooks: { draw: [(u) => this.drawPlayhead(u)] },
      },
      data as uPlot.AlignedData,
      this.el,
    );
    if (opts.onSeek) {
      const seek = opts.onSeek;
      this.plot.over.addEventListener('click', (e) => {
        const x = this.plot.posToVal(e.offsetX, 'x');
        if (Number.isFinite(x)) seek(Math.max(0, x));
      });
      this.plot.over.style.cursor = 'pointer';
    }
    this.ro = new ResizeObserver(() => {
      const w = Math.max(240, Math.floor(this.el.clientWidth));
      if (w !== this.plot.width) this.plot.setSize({ width: w, height: this.plot.height });
    });
    this.ro.observe(this.el);
  }

  setData(data: number[][]): void {
    this.plot.setData(data as uPlot.AlignedData);
  }

  /** Moves the playhead; redraws without rebuilding the paths (cheap enough for every frame). */
  setPlayhead(seconds: number): void {
    if (seconds === this.playhead) return;
    this.playhead = seconds;
    this.plot.redraw(false);
  }

  private drawPlayhead(u: uPlot): void {
    const x = u.valToPos(this.playhead, 'x', true);
    if (!Number.isFinite(x)) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = SERIES_COLOURS.playhead;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  }

  destroy(): void {
    this.ro.disconnect();
    this.plot.destroy();
  }
}
