import { CanvasTextMetrics, Container, Graphics, Text, TextStyle } from 'pixi.js';
import type { BusinessView } from '../../../shared/protocol/views.ts';
import { COLORS, FONT } from './palette.ts';
import { MIN_TEXT_PX } from './readable-text.ts';

/** A load balancer's box and the step to the next one, px. */
const LB_BOX = 46;
const LB_STEP = 56;
/** The notebook's (and replica's) box, px. */
const NB_BOX = 46;

/** Does `text`, bold at the smallest readable size, fit `room` px? */
function fitsReadable(text: string, room: number): boolean {
  const style = new TextStyle({ fontFamily: FONT, fontSize: MIN_TEXT_PX, fontWeight: 'bold' });
  return CanvasTextMetrics.measureText(text, style).width <= room;
}

/**
 * The entrance, the load balancers and the shared notebook: the parts of a business that are not
 * stands. Redrawn only when what they show changes.
 */
export class Infrastructure {
  readonly root = new Container();
  private readonly wires = new Graphics();
  private readonly boxes = new Graphics();
  private readonly labels = new Container();
  private key = '';

  constructor() {
    this.root.addChild(this.wires, this.boxes, this.labels);
  }

  /** Where new customers appear: the balancer when there is one, the street otherwise. */
  spawnPoint(me: BusinessView, h: number, colW: number): { x: number; y: number } | null {
    return me.loadBalancers.length > 0 ? { x: colW + 4, y: this.balancersTop(me, h, colW) + 34 } : null;
  }

  /**
   * The notebook and its replica side by side, or (a narrow street column: a phone) one above the
   * other, where "NOTEBOOK" and "REPLICA" fit at a readable size.
   */
  private stacked(me: BusinessView, colW: number): boolean {
    return !!me.notebook && !!me.replica && !fitsReadable('NOTEBOOK', (colW - 24) / 2 - 10);
  }

  /** The top of the first balancer: a little below the middle, above the notebooks when they are stacked. */
  private balancersTop(me: BusinessView, h: number, colW: number): number {
    const natural = h * 0.45 - 30;
    if (!this.stacked(me, colW)) return natural;
    const notebooksTop = h - 10 - 2 * NB_BOX - 6;
    // The policy's words above the first box stay clear of the street sign (70 px with a surge).
    return Math.max(
      90,
      Math.min(natural, notebooksTop - me.loadBalancers.length * LB_STEP - (me.lbFailingOver ? 18 : 0)),
    );
  }

  draw(
    me: BusinessView,
    demand: number,
    surge: number,
    w: number,
    h: number,
    colW: number,
    entries: { x: number; y: number; reachable: boolean }[],
  ): void {
    const key = JSON.stringify([
      me.loadBalancers,
      me.lbFailingOver,
      me.notebook,
      me.replica,
      me.lbPolicy,
      me.lbMode,
      demand.toFixed(1),
      surge,
      w,
      h,
      entries,
    ]);
    if (key === this.key) return;
    this.key = key;
    const g = this.boxes.clear();
    const wires = this.wires.clear();
    for (const c of this.labels.removeChildren()) c.destroy();
    // `room`: the width the words may take. White words inside a box must fit the box: on a phone (a
    // 110 px street column) "LOAD BALANCER" ran past its box and its first letter, white on the pale
    // street, was gone; "NOTEBOOK" beside a replica ran into the replica's box. A long text shrinks to
    // fit, down to the readable size (readable-text.ts; it went down to 6 px), then takes its next form.
    const label = (
      forms: string | readonly string[],
      x: number,
      y: number,
      size = 14,
      fill: number = COLORS.ink,
      room = colW - 16,
    ): void => {
      const fontSize = Math.max(size, MIN_TEXT_PX);
      const style = {
        fontFamily: FONT,
        fontSize,
        fontWeight: 'bold' as const,
        fill,
        align: 'center' as const,
      };
      for (const text of typeof forms === 'string' ? [forms] : forms) {
        const t = new Text({ text, style });
        const scale = Math.min(1, room / t.width);
        if (scale * fontSize < MIN_TEXT_PX) {
          t.destroy();
          continue;
        }
        t.scale.set(scale);
        t.anchor.set(0.5, 0);
        t.position.set(x, y);
        this.labels.addChild(t);
        return;
      }
    };

    // The street sign: how many customers are coming, and a surge warning in words.
    g.roundRect(6, 6, colW - 12, surge > 1 ? 64 : 46, 10).fill(surge > 1 ? COLORS.awning : COLORS.lemon);
    label(
      [`${demand.toFixed(1)} customers/s`, `${demand.toFixed(1)} people/s`, `${demand.toFixed(1)}/s`],
      colW / 2,
      12,
      13,
    );
    label('coming', colW / 2, 30, 12);
    if (surge > 1) label(`SURGE x${surge}!`, colW / 2, 47, 14, COLORS.white);

    if (me.loadBalancers.length > 0) {
      const bx = 10;
      const by = this.balancersTop(me, h, colW);
      const bw = colW - 20;
      me.loadBalancers.forEach((lb, i) => {
        const y = by + i * LB_STEP;
        g.roundRect(bx, y, bw, LB_BOX, 8)
          .fill(lb.up ? COLORS.lb : 0x9b9b9b)
          .stroke({ color: COLORS.ink, width: 2 });
        const inBox = bw - 10;
        const name = i === 0 ? ['LOAD BALANCER', 'BALANCER', 'LB'] : ['BALANCER 2', 'LB 2'];
        label(name, bx + bw / 2, y + 5, 11, COLORS.white, inBox);
        label(
          lb.up ? 'working' : 'DOWN',
          bx + bw / 2,
          y + 23,
          13,
          lb.up ? COLORS.white : COLORS.lemon,
          inBox,
        );
      });
      label(me.lbPolicy, bx + bw / 2, by - 18, 11);
      if (me.lbFailingOver)
        label('failing over…', bx + bw / 2, by + me.loadBalancers.length * LB_STEP, 12, COLORS.bad);
      const up = me.loadBalancers.some((b) => b.up) && !me.lbFailingOver;
      for (const e of entries) {
        wires.moveTo(bx + bw, by + 23).lineTo(e.x, e.y);
      }
      wires.stroke({ color: up ? COLORS.lb : COLORS.idle, width: 2, alpha: up ? 0.55 : 0.3 });
    }

    if (me.notebook) {
      const nb = me.notebook;
      const stacked = this.stacked(me, colW);
      const y = h - 10 - NB_BOX;
      const bw = stacked || !me.replica ? colW - 16 : (colW - 24) / 2;
      // The replica's box: beside the notebook, or above it in a narrow column.
      const rx = stacked ? 8 : 16 + bw;
      const ry = stacked ? y - NB_BOX - 6 : y;
      g.roundRect(8, y, bw, NB_BOX, 8)
        .fill(nb.up ? COLORS.notebook : 0x9b9b9b)
        .stroke({ color: COLORS.ink, width: 2 });
      const inBox = bw - 10;
      label('NOTEBOOK', 8 + bw / 2, y + 5, 11, COLORS.white, inBox);
      label(nb.up ? 'shared' : 'DOWN', 8 + bw / 2, y + 23, 13, nb.up ? COLORS.white : COLORS.lemon, inBox);
      if (me.replica) {
        g.roundRect(rx, ry, bw, NB_BOX, 8)
          .fill(me.replica.up ? COLORS.notebook : 0x9b9b9b)
          .stroke({ color: COLORS.ink, width: 2 });
        label('REPLICA', rx + bw / 2, ry + 5, 11, COLORS.white, inBox);
        label(
          me.replica.up ? 'copy' : 'DOWN',
          rx + bw / 2,
          ry + 23,
          13,
          me.replica.up ? COLORS.white : COLORS.lemon,
          inBox,
        );
      }
      for (const e of entries) wires.moveTo(8 + bw / 2, y).lineTo(e.x + 40, e.y - 30);
      wires.stroke({ color: COLORS.notebook, width: 1, alpha: 0.35 });
    }
  }
}
