import { Container, Graphics, Text } from 'pixi.js';
import type { BusinessView } from '../../../shared/protocol/views.ts';
import { COLORS, FONT } from './palette.ts';

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
    return me.loadBalancers.length > 0 ? { x: colW + 4, y: h * 0.45 + 4 } : null;
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
    // street, was gone; "NOTEBOOK" beside a replica ran into the replica's box.
    const label = (
      text: string,
      x: number,
      y: number,
      size = 14,
      fill: number = COLORS.ink,
      room = colW - 16,
    ): void => {
      const t = new Text({
        text,
        style: { fontFamily: FONT, fontSize: size, fontWeight: 'bold', fill, align: 'center' },
      });
      t.anchor.set(0.5, 0);
      t.position.set(x, y);
      // Everything here sits in the street column: a long number shrinks rather than being clipped.
      if (t.width > room) t.scale.set(room / t.width);
      this.labels.addChild(t);
    };

    // The street sign: how many customers are coming, and a surge warning in words.
    g.roundRect(6, 6, colW - 12, surge > 1 ? 62 : 44, 10).fill(surge > 1 ? COLORS.awning : COLORS.lemon);
    label(`${demand.toFixed(1)} customers/s`, colW / 2, 12, 13);
    label('coming', colW / 2, 28, 12);
    if (surge > 1) label(`SURGE x${surge}!`, colW / 2, 46, 14, COLORS.white);

    if (me.loadBalancers.length > 0) {
      const bx = 10;
      const by = h * 0.45 - 30;
      const bw = colW - 20;
      me.loadBalancers.forEach((lb, i) => {
        const y = by + i * 56;
        g.roundRect(bx, y, bw, 46, 8)
          .fill(lb.up ? COLORS.lb : 0x9b9b9b)
          .stroke({ color: COLORS.ink, width: 2 });
        const inBox = bw - 10;
        label(i === 0 ? 'LOAD BALANCER' : 'BALANCER 2', bx + bw / 2, y + 5, 11, COLORS.white, inBox);
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
        label('failing over…', bx + bw / 2, by + me.loadBalancers.length * 56, 12, COLORS.bad);
      const up = me.loadBalancers.some((b) => b.up) && !me.lbFailingOver;
      for (const e of entries) {
        wires.moveTo(bx + bw, by + 23).lineTo(e.x, e.y);
      }
      wires.stroke({ color: up ? COLORS.lb : COLORS.idle, width: 2, alpha: up ? 0.55 : 0.3 });
    }

    if (me.notebook) {
      const nb = me.notebook;
      const y = h - 64;
      const bw = (colW - 24) / (me.replica ? 2 : 1);
      g.roundRect(8, y, bw, 54, 8)
        .fill(nb.up ? COLORS.notebook : 0x9b9b9b)
        .stroke({ color: COLORS.ink, width: 2 });
      const inBox = bw - 10;
      label('NOTEBOOK', 8 + bw / 2, y + 6, 11, COLORS.white, inBox);
      label(nb.up ? 'shared' : 'DOWN', 8 + bw / 2, y + 26, 13, nb.up ? COLORS.white : COLORS.lemon, inBox);
      if (me.replica) {
        g.roundRect(16 + bw, y, bw, 54, 8)
          .fill(me.replica.up ? COLORS.notebook : 0x9b9b9b)
          .stroke({ color: COLORS.ink, width: 2 });
        label('REPLICA', 16 + bw * 1.5, y + 6, 11, COLORS.white, inBox);
        label(
          me.replica.up ? 'copy' : 'DOWN',
          16 + bw * 1.5,
          y + 26,
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
