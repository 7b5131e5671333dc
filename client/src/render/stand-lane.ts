import { BitmapText, Container, Graphics, Text } from 'pixi.js';
import type { StandView } from '../../../shared/protocol/views.ts';
import { COLORS, FONT } from './palette.ts';
import type { Customer, CustomerPool } from './customer-pool.ts';
import { HEADER_ROW, LANE_H, LANE_W, type LaneFit } from './lane-fit.ts';

const FEET_Y = 96;
/** The top of the lane's path (under the header), in the body's units. */
const PATH_Y = 20;
const FRONT_X = 292;
const STEP = 18;
const SERVE_X = 316;
/** People drawn per line; the rest are a "+N" counter, so a huge surge stays readable and fluid. */
export const MAX_DRAWN = 15;
const BOOTH_X = 330;
/** The blender's progress bar, in lane units. */
const BAR_W = 80;

/**
 * One stand and its line of customers. Everything drawn follows the StandView: the line length,
 * who is being served, and the cumulative served / gave-up counters whose growth makes people leave.
 */
export class StandLane {
  readonly root = new Container();
  /** Everything under the header (path, booth, bar, status words): moved down when the header grows. */
  private readonly body = new Container();
  private readonly ground = new Graphics();
  private readonly booth = new Graphics();
  private readonly progressBar = new Graphics();
  private readonly title = new BitmapText({
    text: '',
    style: { fontFamily: FONT, fontSize: 15, fill: COLORS.ink },
  });
  private readonly counters = new BitmapText({
    text: '',
    style: { fontFamily: FONT, fontSize: 13, fill: COLORS.ink },
  });
  private readonly overflow = new BitmapText({
    text: '',
    style: { fontFamily: FONT, fontSize: 16, fill: COLORS.bad },
  });
  private readonly status = new Text({
    text: '',
    // A white outline keeps the words readable over the booth, the X and the people.
    style: {
      fontFamily: FONT,
      fontSize: 15,
      fontWeight: 'bold',
      fill: COLORS.ink,
      align: 'center',
      stroke: { color: COLORS.white, width: 4 },
    },
  });
  private line: Customer[] = [];
  private serving: Customer | null = null;
  private last: StandView | null = null;
  private drawnKey = '';
  private shownProgress = 0;
  private targetProgress = 0;
  /** Whether the game's clock runs: a paused blender does not fill the cup. */
  private blending = false;
  /** The progress bar's width as last drawn, in screen pixels (-1: not shown). */
  private barPx = -1;
  private ox = 0;
  private oy = 0;
  private s = 1;
  private fit: LaneFit = { s: 1, k: 1, rows: 1, bodyY: 0 };

  constructor(private readonly pool: CustomerPool) {
    // The title ends at the lane's right edge (it used to start at the booth and run off the canvas).
    this.title.anchor.set(1, 0);
    this.title.position.set(LANE_W - 4, 2);
    this.counters.position.set(8, 4);
    this.overflow.position.set(2, FEET_Y - 26);
    this.status.anchor.set(0.5, 0.5);
    this.status.position.set(BOOTH_X + 52, 58);
    this.body.addChild(this.ground, this.booth, this.progressBar, this.overflow, this.status);
    this.root.addChild(this.body, this.title, this.counters);
  }

  /**
   * Where the lane sits on screen and how big (lane-fit.ts). Customers are in world pixels, so they
   * are moved here too. The words keep a readable size (their scale `k` makes up for a small lane).
   */
  layout(x: number, y: number, fit: LaneFit): void {
    const moved = x !== this.ox || y !== this.oy || fit.s !== this.s || fit.bodyY !== this.fit.bodyY;
    const rewrite = fit.k !== this.fit.k || fit.rows !== this.fit.rows;
    this.ox = x;
    this.oy = y;
    this.s = fit.s;
    this.fit = fit;
    this.root.position.set(x, y);
    this.root.scale.set(fit.s);
    this.body.y = fit.bodyY;
    for (const t of [this.title, this.counters, this.overflow, this.status]) {
      t.scale.set(fit.k);
      t.visible = fit.rows > 0;
    }
    this.counters.position.set(8, fit.rows === 2 ? 2 + HEADER_ROW * fit.k : 4);
    if (moved) this.retarget(true);
    // The words' forms depend on the room they have at this size: write them again.
    if (rewrite && this.last) {
      this.writeHeader(this.last);
      this.drawnKey = '';
      this.drawBooth(this.last);
      this.drawnKey = this.boothKey(this.last);
    }
  }

  /** The lane's feet row (where people stand), in lane units from the lane's top. */
  private feetY(): number {
    return this.fit.bodyY + FEET_Y;
  }

  /** World position of the back of the line, where the balancer's arrows point. */
  entry(): { x: number; y: number } {
    return { x: this.ox + 10 * this.s, y: this.oy + (this.feetY() - 12) * this.s };
  }

  /**
   * `spawn` is the balancer's exit; without one, people walk in from the lane's own street end.
   * `running`: the game's clock runs (not paused, not over), so a cup being made goes on filling.
   */
  update(v: StandView, lbExit: { x: number; y: number } | null, running: boolean): void {
    const spawn = lbExit ?? { x: this.ox - 16 * this.s, y: this.oy + this.feetY() * this.s };
    const prev = this.last;
    this.last = v;
    this.blending = running;
    const key = this.boothKey(v);
    if (key !== this.drawnKey) {
      this.drawnKey = key;
      this.drawBooth(v);
    }
    this.writeHeader(v);
    this.overflow.text = v.line > MAX_DRAWN ? `+${v.line - MAX_DRAWN}` : '';
    this.targetProgress = v.serving ? v.progress : 0;

    // People leave according to the counters' growth: served from the counter, gave-up from the back.
    let served = prev ? Math.max(0, v.served - prev.served) : 0;
    let gaveUp = prev ? Math.max(0, v.gaveUp - prev.gaveUp) : 0;
    if (served > 0 && this.serving) {
      this.leaveServed(this.serving);
      this.serving = null;
      served--;
      this.shownProgress = 0;
    }
    // A fast blender serves several people between two views: they go through the counter at once.
    while (served-- > 0 && this.line.length > 0 && this.line.length > Math.min(v.line, MAX_DRAWN)) {
      this.leaveServed(this.line.shift()!);
    }
    while (gaveUp-- > 0 && this.line.length > 0) this.pool.leave(this.line.pop()!, 'gave-up');

    if (v.serving && !this.serving) {
      this.serving = this.line.shift() ?? this.pool.spawn(spawn.x, spawn.y, this.s);
      this.shownProgress = 0;
    } else if (!v.serving && this.serving) {
      // The stand broke or was evacuated mid-cup: that customer did not get served.
      this.pool.leave(this.serving, 'gave-up');
      this.serving = null;
    }
    const want = Math.min(v.line, MAX_DRAWN);
    while (this.line.length > want) this.pool.leave(this.line.pop()!, 'gave-up');
    while (this.line.length < want) this.line.push(this.pool.spawn(spawn.x, spawn.y, this.s));
    this.retarget(false);
    this.tintByWait(v);
  }

  private boothKey(v: StandView): string {
    return `${v.tier}|${v.status}|${v.reachable}|${v.idle}|${Math.ceil(v.secondsLeft)}`;
  }

  /**
   * The title and the counters, each in the longest form that fits its room at a readable size: on
   * one row, the counters take what the title leaves (they used to shrink to half size instead); on
   * two rows (a small lane), each has the lane's width.
   */
  private writeHeader(v: StandView): void {
    const rate = fmtRate(v.rate);
    fitText(
      this.title,
      [`#${v.number}  T${v.tier} · ${rate} cups/s`, `#${v.number}  T${v.tier}`, `#${v.number}`],
      LANE_W - 8,
    );
    // "lost here": outage losses belong to no stand, so these add up to less than the HUD's total.
    const room = this.fit.rows === 2 ? LANE_W - 24 : LANE_W - 20 - this.title.width;
    fitText(
      this.counters,
      [
        `line ${v.line}   served ${v.served}   lost here ${v.gaveUp}`,
        `line ${v.line}  served ${v.served}  lost ${v.gaveUp}`,
        `line ${v.line}  lost ${v.gaveUp}`,
        `line ${v.line}`,
      ],
      room,
    );
  }

  /** The line's people, for the per-frame walk. */
  *walkers(): Iterable<Customer> {
    if (this.serving) yield this.serving;
    yield* this.line;
  }

  /**
   * One frame of the blender's progress bar. `moving`: it will go on changing without a new view (the
   * scene keeps asking for frames); `changed`: its picture changed this frame (the scene draws). The bar
   * is redrawn only when it grows by a whole pixel on screen.
   */
  animate(dt: number): { moving: boolean; changed: boolean } {
    const k = Math.min(1, dt * 8);
    // Between two views the blender keeps blending: progress creeps on instead of jumping at 10 Hz.
    const v = this.last;
    const shown = !!v && v.status === 'open' && v.serving;
    if (v?.serving && this.blending)
      this.targetProgress = Math.min(1, this.targetProgress + dt * Math.min(v.rate, 4) * 0.5);
    const gap = (this.targetProgress - this.shownProgress) * BAR_W * this.s;
    if (Math.abs(gap) < 0.5) this.shownProgress = this.targetProgress;
    else this.shownProgress += (this.targetProgress - this.shownProgress) * k;
    const moving =
      shown && (this.shownProgress !== this.targetProgress || (this.blending && this.targetProgress < 1));
    const px = shown ? Math.round(BAR_W * this.shownProgress * this.s) : -1;
    if (px === this.barPx) return { moving, changed: false };
    this.barPx = px;
    const g = this.progressBar.clear();
    if (shown) {
      g.roundRect(BOOTH_X + 12, FEET_Y - 8, BAR_W, 7, 3)
        .fill(0xffffff)
        .stroke({ color: COLORS.ink, width: 1 });
      g.roundRect(BOOTH_X + 12, FEET_Y - 8, BAR_W * this.shownProgress, 7, 3).fill(COLORS.ok);
    }
    return { moving, changed: true };
  }

  destroy(): void {
    for (const c of this.walkers()) this.pool.leave(c, 'gave-up');
    this.line = [];
    this.serving = null;
    this.root.destroy({ children: true });
  }

  /** A served customer always leaves from the counter, even one who was still walking up to it. */
  private leaveServed(c: Customer): void {
    c.p.x = Math.max(c.p.x, this.ox + SERVE_X * this.s);
    c.p.y = this.oy + this.feetY() * this.s;
    this.pool.leave(c, 'served');
  }

  private retarget(snap: boolean): void {
    const s = this.s;
    const place = (c: Customer, lx: number): void => {
      c.tx = this.ox + lx * s;
      c.ty = this.oy + this.feetY() * s;
      c.scale = s;
      if (snap) {
        c.p.x = c.tx;
        c.p.y = c.ty;
      }
    };
    if (this.serving) place(this.serving, SERVE_X);
    this.line.forEach((c, i) => place(c, FRONT_X - i * STEP));
  }

  private tintByWait(v: StandView): void {
    if (this.serving) this.serving.p.tint = COLORS.happy;
    this.line.forEach((c, i) => {
      const w = v.waits[i] ?? 0;
      c.p.tint = w > 8 ? COLORS.upset : w > 3 ? COLORS.waiting : COLORS.lemon;
    });
  }

  private drawBooth(v: StandView): void {
    const g = this.ground.clear();
    // The lane's path; a dashed-looking gap when nobody can reach it (lesson L6).
    g.roundRect(0, PATH_Y, LANE_W, LANE_H - 22, 12).fill({
      color: v.reachable ? COLORS.path : 0xe6e6e6,
      alpha: 0.9,
    });
    if (!v.reachable) {
      for (let x = 10; x < BOOTH_X - 10; x += 24) g.rect(x, FEET_Y - 30, 12, 3).fill(COLORS.idle);
    }

    const b = this.booth.clear();
    const broken = v.status === 'failed';
    const wood = broken ? 0x9b9b9b : COLORS.wood;
    // Awning stripes, counter, and the blender whose size grows with its tier.
    b.rect(BOOTH_X, 22, 104, 12).fill(broken ? 0xb0b0b0 : COLORS.awning);
    for (let i = 0; i < 104; i += 16) b.rect(BOOTH_X + i, 22, 8, 12).fill(COLORS.white);
    b.rect(BOOTH_X + 4, 34, 4, 40).fill(COLORS.woodDark);
    b.rect(BOOTH_X + 96, 34, 4, 40).fill(COLORS.woodDark);
    b.roundRect(BOOTH_X - 2, 74, 108, 26, 4)
      .fill(wood)
      .stroke({ color: COLORS.woodDark, width: 2 });
    if (v.status !== 'building') {
      const t = v.tier;
      const w = 10 + 5 * t;
      const hgt = 12 + 7 * t;
      const cx = BOOTH_X + 52;
      b.roundRect(cx - w / 2 - 2, 70, w + 4, 6, 2).fill(COLORS.blenderDark);
      b.roundRect(cx - w / 2, 70 - hgt, w, hgt, 3).fill({
        color: broken ? 0xcccccc : COLORS.blender,
        alpha: 0.9,
      });
      b.rect(cx - w / 2 + 2, 70 - hgt * 0.55, w - 4, hgt * 0.5).fill(broken ? 0xaaaaaa : COLORS.lemon);
      if (t === 5) b.star(cx, 70 - hgt - 8, 5, 7).fill(COLORS.lemonDark);
    } else {
      // Scaffolding while the stand is being built.
      for (let i = 0; i < 4; i++) b.moveTo(BOOTH_X + i * 30, 100).lineTo(BOOTH_X + i * 30 + 30, 36);
      b.stroke({ color: COLORS.woodDark, width: 3 });
    }
    if (broken) {
      b.moveTo(BOOTH_X + 10, 30)
        .lineTo(BOOTH_X + 94, 98)
        .moveTo(BOOTH_X + 94, 30)
        .lineTo(BOOTH_X + 10, 98);
      b.stroke({ color: COLORS.bad, width: 6 });
    }

    const left = Math.ceil(v.secondsLeft);
    const s = this.status;
    s.style.fill = COLORS.ink;
    // Words go on the lane, left of the booth, so the drawing (scaffold, red X) does not cover them;
    // longest form first, the shortest for a small lane whose words are scaled up to stay readable.
    s.position.set(BOOTH_X - 90, 50);
    let forms: string[] = [];
    if (v.status === 'building') forms = [`BUILDING\nready in ${left} s`, `BUILDING\n${left} s`, 'BUILDING'];
    else if (v.status === 'swapping')
      forms = [`NEW BLENDER\nopen in ${left} s`, `NEW BLENDER\n${left} s`, 'NEW BLENDER'];
    else if (broken) {
      forms = [`BROKEN!\nrepair in ${left} s`, `BROKEN!\n${left} s`, 'BROKEN!'];
      s.style.fill = COLORS.bad;
    } else if (!v.reachable) {
      forms = ['nobody finds me\n(needs a load balancer)', 'nobody finds me', 'unreachable'];
      s.position.set(160, 50);
      s.style.fill = COLORS.idle;
    } else if (v.idle) {
      forms = ['idle  z z z', 'idle'];
      s.position.set(200, 60);
      s.style.fill = COLORS.idle;
    }
    // Centred on its spot: as wide as twice the way to the lane's edge or the booth, as tall as twice
    // the way to the path's top (the header's words are above it) or the feet.
    const room = 2 * Math.min(s.x - 4, BOOTH_X - 4 - s.x);
    fitText(s, forms, room, 2 * Math.min(s.y - PATH_Y, FEET_Y - 8 - s.y));
  }
}

/** Writes the first of `forms` that fits `width` x `height` (lane units, at the text's scale); '' if none does. */
function fitText(t: Text | BitmapText, forms: readonly string[], width: number, height = Infinity): void {
  for (const text of forms) {
    t.text = text;
    if (t.width <= width && t.height <= height) return;
  }
  t.text = '';
}

function fmtRate(r: number): string {
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}
