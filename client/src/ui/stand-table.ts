import type { StudentView } from '../../../shared/protocol/views.ts';
import { h } from './dom.ts';
import { secs } from './format.ts';

/**
 * The canvas as text: one row per stand, for screen readers and for anyone who prefers numbers.
 * Refreshed at most twice a second, since it holds no focusable controls that could be disturbed.
 */
export class StandTable {
  readonly el: HTMLElement;
  private readonly body = h('tbody');
  private lastDraw = 0;

  constructor() {
    this.el = h(
      'details',
      { class: 'panel stand-table', open: true },
      h('summary', {}, 'Your stands as a table'),
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, 'Each stand: blender, status, line and counts'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Stand', 'Blender', 'Status', 'In line', 'Longest wait', 'Served', 'Lost'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        this.body,
      ),
    );
  }

  update(v: StudentView, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 500) return;
    this.lastDraw = now;
    this.body.replaceChildren(
      ...v.me.stands.map((s) =>
        h(
          'tr',
          { 'data-stand': s.number },
          h('th', { scope: 'row' }, `#${s.number}`),
          h('td', {}, `tier ${s.tier} (${s.rate} cups/s)`),
          h('td', {}, statusText(s)),
          h('td', { 'data-line': s.number }, String(s.line)),
          h('td', {}, s.waits.length ? secs(Math.max(...s.waits)) : '—'),
          h('td', {}, String(s.served)),
          h('td', {}, String(s.gaveUp)),
        ),
      ),
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
