import type { StudentView } from '../../../shared/protocol/views.ts';
import { h, setText } from './dom.ts';
import { lostBreakdown, money, pct, rate, requests, secs } from './format.ts';

/** The numbers beside the scene: cash, demand against capacity, served and lost, wait, availability. */
export class Hud {
  readonly el = h('section', { class: 'panel hud', 'aria-label': 'Your numbers' });
  private readonly perCup = h('span');
  private readonly cells = new Map<string, { value: HTMLElement; sub: HTMLElement; box: HTMLElement }>();

  constructor() {
    const dl = h('dl', { class: 'hud-grid' });
    for (const [key, label] of [
      ['cash', '💰 Cash'],
      ['demand', '🚶 Customers'],
      ['capacity', '🥤 Capacity'],
      ['served', '😊 Served'],
      ['lost', '😞 Lost'],
      ['wait', '⏱️ Wait in line'],
      ['availability', '🟢 Open'],
      ['profit', '📈 Profit'],
    ] as const) {
      // A <dl> may group dt/dd in a div, but nothing else: the small print lives inside the dd.
      const value = h('span', { class: 'hud-value', 'data-hud': key });
      const sub = h('span', { class: 'hud-sub' });
      const box = h('div', { class: 'hud-cell' }, h('dt', {}, label), h('dd', {}, value, sub));
      this.cells.set(key, { value, sub, box });
      dl.append(box);
    }
    // "req/s" appears beside the customers: say once what it means, in a 14-year-old's words.
    this.el.append(
      dl,
      h(
        'p',
        { class: 'hud-note' },
        '💡 req/s = requests per second. If your stand were a website, each customer would be about ',
        this.perCup,
        ' requests to its servers: that is how real systems count their load.',
      ),
    );
  }

  update(v: StudentView): void {
    const r = v.me.results;
    const set = (k: string, value: string, sub: string, tone?: 'good' | 'bad' | 'warn'): void => {
      const c = this.cells.get(k)!;
      setText(c.value, value);
      setText(c.sub, sub);
      c.box.className = `hud-cell${tone ? ` tone-${tone}` : ''}`;
    };
    setText(this.perCup, v.requestsPerCup.toLocaleString('en-US'));
    set('cash', money(v.me.cash), v.salePercent ? `sale: ${v.salePercent}% off!` : '');
    set(
      'demand',
      `${rate(v.demand)}/s`,
      `as a website: ${requests(v.demand, v.requestsPerCup)}${v.surge > 1 ? ` · surge x${v.surge}` : ''}`,
      v.surge > 1 ? 'warn' : undefined,
    );
    const short = v.me.capacity < v.demand;
    set(
      'capacity',
      `${rate(v.me.capacity)} cups/s`,
      `${short ? '⚠️ less than demand' : '✔ enough'}${v.me.installed !== v.me.capacity ? ` · ${rate(v.me.installed)} installed` : ''}`,
      short ? 'bad' : 'good',
    );
    // Before anyone has come (the lobby, a late joiner's first second) the share is 1 by convention:
    // "100% of customers" beside "0" read as a promise the business had not earned.
    const anyone = r.served + r.lost.total > 0;
    set('served', String(r.served), anyone ? `${pct(r.shareServed)} of customers` : 'no customers yet');
    set('lost', String(r.lost.total), lostBreakdown(r.lost), r.lost.total > r.served / 4 ? 'bad' : undefined);
    // Time in line, and below it time in system (line plus blending): one fast blender shows its edge there.
    set(
      'wait',
      secs(r.meanWait),
      `${secs(r.meanTimeInSystem)} with blending · p95 ${secs(r.p95Wait)} in line`,
    );
    set(
      'availability',
      v.me.available ? 'OPEN' : 'DOWN',
      `${pct(r.availability)} of the time`,
      v.me.available ? 'good' : 'bad',
    );
    set(
      'profit',
      money(r.profit),
      r.costPerCup === null ? '' : `${money(r.costPerCup)} per cup`,
      r.profit < 0 ? 'bad' : 'good',
    );
  }
}
