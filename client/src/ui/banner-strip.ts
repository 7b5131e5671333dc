import type { BannerView } from '../../../shared/protocol/views.ts';
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { h } from './dom.ts';
import { clock } from './format.ts';

const ICON: Record<string, string> = {
  surge: '📈',
  'stand-outage': '💥',
  'lb-outage': '⚖️',
  'notebook-outage': '📒',
  chaos: '🐒',
  'chaos-strike': '🐒',
  sale: '🏷️',
  'rent-rise': '🏠',
  announce: '📣',
  game: '🍋',
};

const TONE: Record<string, string> = {
  surge: 'warn',
  'stand-outage': 'bad',
  'lb-outage': 'bad',
  'notebook-outage': 'bad',
  chaos: 'bad',
  'chaos-strike': 'bad',
  sale: 'good',
  'rent-rise': 'warn',
  announce: 'info',
  game: 'info',
};

/** How long the big banner stays in game time (ticks): what goes on after that is the "now" line's. */
const LIVE_TICKS = 8 * TICKS_PER_SECOND;

/** What is going on right now, in words, with a countdown where the view knows when it ends. */
export interface NowFact {
  kind: string;
  text: string;
}

/**
 * Event banners in three parts. A new event shows big for a few seconds (read out by screen readers);
 * the "now" line says what is still going on (a surge, a broken stand with its repair countdown), from
 * the view's current state, so it disappears when the event is over; and past events move to a
 * timeline stamped with their game time, so old news never reads as current.
 */
export class BannerStrip {
  readonly el = h('section', { class: 'banners', 'aria-label': 'Events' });
  /** Past events, newest first: placed by each screen where it has room. */
  readonly timeline: HTMLElement;
  private readonly live = h('div', { class: 'banner-live', role: 'alert', 'aria-live': 'assertive' });
  private readonly now = h('ul', { class: 'banner-now', 'data-testid': 'banner-now' });
  private readonly history = h('ol', { class: 'banner-history', reversed: true });
  private lastTick = -1;
  private primed = false;
  private hideTimer: number | undefined;
  private nowKey = '';
  private liveTick = -1;

  constructor() {
    this.el.append(this.live, this.now);
    this.timeline = h(
      'section',
      { class: 'panel timeline', 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, '🕑 What happened'),
      this.history,
    );
  }

  /**
   * `tick` is the view's game tick: the big banner also goes after a few game seconds, so at x8 a
   * surge's banner does not outlive the surge (it used to stay 9 wall seconds, 72 game seconds).
   */
  update(banners: BannerView[], now: NowFact[] = [], tick?: number): void {
    if (tick !== undefined && this.liveTick >= 0 && tick - this.liveTick > LIVE_TICKS) {
      this.live.className = 'banner-live';
      this.liveTick = -1;
    }
    const key = now.map((f) => f.text).join('\n');
    if (key !== this.nowKey) {
      this.nowKey = key;
      this.now.replaceChildren(
        ...now.map((f) =>
          h('li', { class: `tone-${TONE[f.kind] ?? 'info'}` }, `${ICON[f.kind] ?? '📣'} ${f.text}`),
        ),
      );
    }
    const first = !this.primed;
    this.primed = true;
    const fresh = banners.filter((b) => b.tick > this.lastTick);
    if (fresh.length === 0) return;
    this.lastTick = Math.max(...banners.map((b) => b.tick));
    this.history.replaceChildren(
      ...banners
        .slice()
        .reverse()
        .map((b) =>
          h(
            'li',
            { class: `tone-${TONE[b.kind] ?? 'info'}` },
            h('span', { class: 'banner-time' }, clock(b.tick * SECONDS_PER_TICK)),
            ` ${ICON[b.kind] ?? '📣'} ${b.text}`,
          ),
        ),
    );
    // The first view after a (re)load only fills the timeline: old news is not shouted again.
    if (first) return;
    const b = fresh[fresh.length - 1]!;
    // Nor is news older than the big banner's time: a replay's seek forward (from 0:00 to 2:55, the
    // Monday news of 0:01 came up as NEWS) only fills the timeline.
    if (tick !== undefined && tick - b.tick > LIVE_TICKS) return;
    this.liveTick = b.tick;
    this.live.className = `banner-live show tone-${TONE[b.kind] ?? 'info'}`;
    this.live.replaceChildren(
      h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, ICON[b.kind] ?? '📣'),
      h('span', { class: 'banner-kind' }, kindWord(b.kind)),
      h('span', { class: 'banner-text' }, b.text),
    );
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => (this.live.className = 'banner-live'), 9000);
  }
}

function kindWord(kind: string): string {
  if (kind.includes('outage') || kind.startsWith('chaos')) return 'OUTAGE!';
  if (kind === 'surge') return 'SURGE!';
  if (kind === 'sale') return 'SALE!';
  if (kind === 'rent-rise') return 'RENT UP!';
  return 'NEWS';
}
