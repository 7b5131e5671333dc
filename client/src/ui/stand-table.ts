import type { StudentView } from '../../../shared/protocol/views.ts';
import { h, setText } from './dom.ts';
import { lostBreakdown, secs, standLabel } from './format.ts';
import { CARDS_ON_PHONE } from './tables.ts';

/**
 * The canvas as text: one row per stand, for screen readers and for anyone who prefers numbers. It is
 * updated with every view, as the scene is, so the two never show different lines; cells are only
 * written when their text changes. The footer holds the business's totals, the same numbers as the HUD.
 */
const COLUMNS = ['Stand', 'Blender', 'Status', 'In line', 'Longest wait', 'Served', 'Lost here'];

export class StandTable {
  readonly el: HTMLElement;
  private readonly body = h('tbody');
  private readonly foot = h('tfoot');
  private rows = new Map<number, HTMLElement[]>();
  private order = '';

  constructor() {
    this.el = h(
      'details',
      { class: 'panel stand-table', open: true },
      h('summary', {}, 'Your stands as a table'),
      // One card per stand on a phone: in a sideways-scrolling box the served and lost columns and the
      // totals line were cut off at 390 px.
      h(
        'table',
        { class: CARDS_ON_PHONE },
        h('caption', { class: 'sr-only' }, 'Each stand: blender, status, line and counts'),
        h('thead', {}, h('tr', {}, ...COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
        this.body,
        this.foot,
      ),
    );
  }

  update(v: StudentView): void {
    const order = v.me.stands.map((s) => s.number).join(',');
    if (order !== this.order) {
      this.order = order;
      const rows = new Map<number, HTMLElement[]>();
      this.body.replaceChildren(
        ...v.me.stands.map((s) => {
          const cells = [
            h('th', { scope: 'row' }, `Stand ${standLabel(s.number)}`),
            ...COLUMNS.slice(1).map((label, i) =>
              h('td', { 'data-label': label, 'data-line': i === 2 ? s.number : undefined }),
            ),
          ];
          rows.set(s.number, cells);
          return h('tr', { 'data-stand': s.number }, ...cells);
        }),
      );
      this.rows = rows;
    }
    for (const s of v.me.stands) {
      const [, tier, status, line, wait, served, lost] = this.rows.get(s.number)!;
      setText(tier!, `tier ${s.tier} (${s.rate} cups/s)`);
      setText(status!, statusText(s));
      setText(line!, String(s.line));
      setText(wait!, s.waits.length ? secs(Math.max(...s.waits)) : '—');
      setText(served!, String(s.served));
      setText(lost!, String(s.gaveUp));
    }
    const r = v.me.results;
    const footText = `All stands: ${r.served} served, ${r.lost.total} lost in all (${lostBreakdown(r.lost)})`;
    if (this.foot.textContent !== footText)
      this.foot.replaceChildren(
        h('tr', {}, h('td', { colspan: COLUMNS.length, 'data-testid': 'stand-totals' }, footText)),
      );
  }
}

export function statusText(s: StudentView['me']['stands'][number]): string {
  const left = Math.ceil(s.secondsLeft);
  switch (s.status) {
    case 'building':
      return `🔨 building, ${left} s`;
    case 'swapping':
      return `🔧 new blender, ${left} s`;
    case 'failed':
      return `💥 broken, repair in ${left} s`;
    case 'open':
      if (!s.reachable) return '🚫 unreachable: needs a load balancer';
      if (s.idle) return '💤 idle';
      return s.serving ? '🥤 serving' : '✔ open';
  }
}
