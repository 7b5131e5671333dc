import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SeriesSpec {
  label: string;
  stroke: string;
  /** Dashed lines tell series apart without relying on colour. */
  dash?: number[];
  width?: number;
}

/**
 * uPlot options for a chart over game time: the axes, fonts and line styles every Lemonscale chart
 * shares (live ones here, whole-game ones in replays).
 */
export function gameTimeChartOptions(
  title: string,
  series: SeriesSpec[],
  opts: { height: number; yLabel?: string; fontSize?: number; lineWidth: number },
): uPlot.Options {
  const font = `${opts.fontSize ?? 12}px system-ui, DejaVu Sans, sans-serif`;
  return {
    title,
    width: 400,
    height: opts.height,
    scales: { x: { time: false } },
    axes: [
      { label: 'game time (s)', font, labelFont: font },
      { label: opts.yLabel ?? '', font, labelFont: font, size: 60 },
    ],
    series: [
      { label: 's' },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: s.width ?? opts.lineWidth,
        dash: s.dash,
        points: { show: false },
      })),
    ],
    legend: { live: false },
  };
}

/**
 * A live time chart on uPlot (x in game seconds). Data is appended as views arrive and the chart
 * redraws at most a few times a second; it follows its host's width.
 */
export class TimeChart {
  readonly el: HTMLElement;
  private readonly plot: uPlot;
  private readonly data: number[][];
  private dirty = false;
  private readonly timer: number;
  private readonly ro: ResizeObserver;

  constructor(
    title: string,
    series: SeriesSpec[],
    /** A height function follows the window (the projector's chart fills what the screen has left). */
    opts: { height?: number | (() => number); yLabel?: string; fontSize?: number } = {},
  ) {
    this.el = document.createElement('figure');
    this.el.className = 'chart';
    this.data = [[], ...series.map(() => [])];
    this.plot = new uPlot(
      gameTimeChartOptions(title, series, {
        height: typeof opts.height === 'function' ? opts.height() : (opts.height ?? 220),
        yLabel: opts.yLabel,
        fontSize: opts.fontSize,
        lineWidth: 2.5,
      }),
      this.data as uPlot.AlignedData,
      this.el,
    );
    this.timer = window.setInterval(() => this.flush(), 500);
    const height = opts.height;
    this.resize = (): void => {
      const w = Math.max(240, Math.floor(this.el.clientWidth));
      const h = typeof height === 'function' ? height() : this.plot.height;
      if (w !== this.plot.width || h !== this.plot.height) this.plot.setSize({ width: w, height: h });
    };
    this.ro = new ResizeObserver(this.resize);
    this.ro.observe(this.el);
    window.addEventListener('resize', this.resize);
  }

  private readonly resize: () => void;

  push(x: number, values: number[]): void {
    const xs = this.data[0]!;
    // A rewound clock (replay, new game) starts the chart afresh.
    if (xs.length && x < xs[xs.length - 1]!) for (const d of this.data) d.length = 0;
    if (xs.length && x === xs[xs.length - 1]) return;
    xs.push(x);
    values.forEach((v, i) => this.data[i + 1]!.push(v));
    this.dirty = true;
  }

  setAll(data: number[][]): void {
    data.forEach((d, i) => (this.data[i] = d));
    this.plot.setData(this.data as uPlot.AlignedData);
    this.describe();
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.plot.setData(this.data as uPlot.AlignedData);
    this.describe();
  }

  /**
   * What the chart covers, on its element, for the browser tests (a reloaded console must cover the
   * whole game; a removed student must never draw a negative rate): first and last x, lowest y.
   */
  private describe(): void {
    const xs = this.data[0]!;
    if (!xs.length) return;
    let min = Infinity;
    for (const ys of this.data.slice(1)) for (const y of ys) if (y < min) min = y;
    this.el.dataset.from = String(xs[0]);
    this.el.dataset.to = String(xs[xs.length - 1]);
    this.el.dataset.min = String(min);
  }

  destroy(): void {
    window.clearInterval(this.timer);
    this.ro.disconnect();
    window.removeEventListener('resize', this.resize);
    this.plot.destroy();
  }
}
