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

  /**
   * `livePause`: the view's `paused` is the game's (the student's page). A replay sets it from its own
   * play button, and a stopped replay still shows what each stand was doing at that moment.
   */
  constructor(private readonly opts: { livePause: boolean }) {
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
      setText(status!, statusText(s, this.opts.livePause ? stoppedBy(v) : null));
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

/** Why the game's clock stands still, if it does: nobody is served and no countdown runs. */
export type ClockStop = 'paused' | 'ended' | null;

export function stoppedBy(v: StudentView): ClockStop {
  return v.status === 'ended' ? 'ended' : v.status === 'running' && v.paused ? 'paused' : null;
}

/**
 * A stand's status in words. While the game is paused no cup is made and no countdown moves: an open
 * stand said "🥤 serving" through the whole pause (the customer at the counter waits, frozen).
 */
export function statusText(s: StudentView['me']['stands'][number], stopped: ClockStop = null): string {
  const left = Math.ceil(s.secondsLeft);
  const held = stopped === 'paused' ? ' (paused)' : '';
  switch (s.status) {
    case 'building':
      return `🔨 building, ${left} s${held}`;
    case 'swapping':
      return `🔧 new blender, ${left} s${held}`;
    case 'failed':
      return `💥 broken, repair in ${left} s${held}`;
    case 'open':
      if (!s.reachable) return '🚫 unreachable: needs a load balancer';
      if (stopped === 'paused') return '⏸ paused';
      if (stopped === 'ended') return '🏁 closed: the game is over';
      if (s.idle) return '💤 idle';
      return s.serving ? '🥤 serving' : '✔ open';
  }
}
