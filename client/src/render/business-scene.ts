import { Application, Container, Graphics } from 'pixi.js';
// pixi.js without eval, so that the server's Content-Security-Policy needs no 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import type { StudentView } from '../../../shared/protocol/views.ts';
import { CustomerPool } from './customer-pool.ts';
import { Infrastructure } from './infrastructure.ts';
import { FramePacer, minFrameGapMs } from './frame-pacer.ts';
import { COLORS } from './palette.ts';
import { StandLane } from './stand-lane.ts';
import { fitLanes, laneHeightPx } from './lane-fit.ts';
import { sceneWords, type SceneWord } from './scene-words.ts';

declare global {
  interface Window {
    /** Read by the browser tests: which renderer pixi picked, and how many people are on screen. */
    __lemonscale?: {
      rendererName: string;
      customers: () => number;
      stands: () => number;
      /** Frames the scene has drawn: a scene at rest draws none (see BusinessScene.frame). */
      frames: () => number;
      /** The words on the scene, their size and place on screen (readable-text.ts: none under 11 px). */
      words: () => SceneWord[];
    };
  }
}

/**
 * The student's business as a pixi.js scene. A pure function of the latest StudentView plus time for
 * the animation in between: this class draws, it never decides anything about the game.
 *
 * It draws on demand, not every frame: a new view, a layout or a resize asks for a frame, and frames
 * go on only while something moves (people walking or leaving, a blender's progress bar). Drawing an
 * unchanged picture sixty times a second kept a phone's main thread busy (and, in a browser without
 * a GPU, copied the whole canvas back every frame: docs/performance.md, "The student page's scene").
 */
export class BusinessScene {
  private readonly lanes = new Map<number, StandLane>();
  private readonly pool: CustomerPool;
  private readonly infra = new Infrastructure();
  private readonly laneLayer = new Container();
  private readonly backdrop = new Graphics();
  private view: StudentView | null = null;
  private readonly resizeObserver: ResizeObserver;
  /** The frame asked for (0: none), when the last one ran, and whether the picture changed since. */
  private raf = 0;
  private lastFrame = 0;
  private dirty = false;
  private drawn = 0;
  private destroyed = false;
  /** A touch screen draws at most 30 frames a second while people walk (frame-pacer.ts). */
  private readonly pacer = new FramePacer(minFrameGapMs(isTouchScreen()));

  static async create(host: HTMLElement): Promise<BusinessScene> {
    const app = new Application();
    await app.init({
      preference: 'webgl',
      resizeTo: host,
      resolution: Math.min(window.devicePixelRatio || 1, 2),
      autoDensity: true,
      // At two or more device pixels per CSS pixel (phones, and laptops' high-density screens) edges are
      // already smooth: multisampling would only multiply the pixels the GPU fills every frame.
      antialias: (window.devicePixelRatio || 1) < 2,
      background: COLORS.sky,
      // No render loop: the scene draws when its content changed (requestDraw, frame).
      autoStart: false,
    });
    return new BusinessScene(app, host);
  }

  private constructor(
    readonly app: Application,
    private readonly host: HTMLElement,
  ) {
    app.canvas.setAttribute('aria-hidden', 'true');
    host.appendChild(app.canvas);
    this.pool = new CustomerPool(app.renderer);
    app.stage.addChild(this.backdrop, this.infra.root, this.laneLayer, this.pool.container);
    // A resize clears the canvas: draw it again.
    app.renderer.on('resize', () => this.requestDraw());
    // So does a WebGL context given back (a phone may take it from a tab in the background): pixi's own
    // listener, added first, has set itself up again on it by then, and no view may come for a while.
    app.canvas.addEventListener('webglcontextrestored', () => this.requestDraw());
    // resizeTo follows the host; re-layout the lanes on the same beat.
    this.resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => this.layout()));
    this.resizeObserver.observe(host);
    window.__lemonscale = {
      rendererName: app.renderer.name,
      customers: () => this.pool.visible,
      stands: () => this.lanes.size,
      frames: () => this.drawn,
      words: () => sceneWords(app.stage),
    };
    this.requestDraw();
  }

  update(view: StudentView): void {
    this.view = view;
    const seen = new Set<number>();
    for (const s of view.me.stands) {
      seen.add(s.id);
      if (!this.lanes.has(s.id)) {
        const lane = new StandLane(this.pool);
        this.lanes.set(s.id, lane);
        this.laneLayer.addChild(lane.root);
      }
    }
    for (const [id, lane] of this.lanes) {
      if (!seen.has(id)) {
        lane.destroy();
        this.lanes.delete(id);
      }
    }
    this.layout();
    const spawn = this.infra.spawnPoint(view.me, this.app.screen.height, this.colWidth());
    const running = view.status === 'running' && !view.paused;
    for (const s of view.me.stands) this.lanes.get(s.id)!.update(s, spawn, running);
    this.requestDraw();
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.raf);
    this.resizeObserver.disconnect();
    if (window.__lemonscale) window.__lemonscale = undefined;
    this.app.destroy(true, { children: true, texture: true });
  }

  private colWidth(): number {
    return Math.max(110, Math.min(160, this.app.screen.width * 0.22));
  }

  private layout(): void {
    const v = this.view;
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    const colW = this.colWidth();
    this.backdrop.clear().rect(0, 0, w, h).fill(COLORS.grass).rect(0, 0, colW, h).fill({ color: COLORS.sky });
    if (!v) return;
    const n = Math.max(1, v.me.stands.length);
    const regionW = w - colW - 12;
    // More stands: more columns, smaller lanes, so 1 or 40 stands both fit.
    const cols = n <= 4 ? 1 : n <= 12 ? 2 : n <= 30 ? 3 : 4;
    const rows = Math.ceil(n / cols);
    const cellW = regionW / cols;
    const cellH = (h - 8) / rows;
    const fit = fitLanes(cellW, cellH);
    const laneH = laneHeightPx(fit);
    // Few stands: centre them vertically rather than leaving a lawn below.
    const top = Math.max(4, (h - rows * laneH) / 2);
    const entries: { x: number; y: number; reachable: boolean }[] = [];
    v.me.stands.forEach((st, i) => {
      const lane = this.lanes.get(st.id);
      if (!lane) return;
      const c = Math.floor(i / rows);
      const r = i % rows;
      lane.layout(colW + 6 + c * cellW, top + r * laneH, fit);
      entries.push({ ...lane.entry(), reachable: st.reachable });
    });
    this.infra.draw(v.me, v.demand, v.surge, w, h, colW, entries);
    this.requestDraw();
  }

  /** The picture changed: draw it at the next frame (and animate from there while anything moves). */
  private requestDraw(): void {
    this.dirty = true;
    if (this.raf !== 0 || this.destroyed) return;
    this.lastFrame = performance.now();
    this.raf = requestAnimationFrame(this.frame);
  }

  /** One frame: move what moves, draw if anything visible changed, ask for the next while it moves. */
  private readonly frame = (now: number): void => {
    this.raf = 0;
    const dt = Math.min(Math.max(0, now - this.lastFrame) / 1000, 0.1);
    this.lastFrame = now;
    let moving = false;
    let changed = this.dirty;
    for (const lane of this.lanes.values()) {
      const m = lane.animate(dt);
      moving ||= m.moving;
      changed ||= m.changed;
    }
    if (this.pool.animate(dt, this.allWalkers())) moving = changed = true;
    if (changed) {
      if (this.pacer.mayDraw(now)) {
        this.dirty = false;
        this.drawn++;
        this.app.render();
      } else {
        // Too soon after the last frame on a touch screen: show this picture at the next one.
        this.dirty = true;
        moving = true;
      }
    }
    if (moving) this.raf = requestAnimationFrame(this.frame);
  };

  private *allWalkers(): Iterable<import('./customer-pool.ts').Customer> {
    for (const lane of this.lanes.values()) yield* lane.walkers();
  }
}

/** A phone or tablet: its main pointer is a finger. */
function isTouchScreen(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
}
