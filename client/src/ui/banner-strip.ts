import type { BannerView } from '../../../shared/protocol/views.ts';
import { h } from './dom.ts';

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

/**
 * Event banners: a new teacher event shows big for a few seconds (and is read out by screen readers),
 * then stays in a short history. The kind is said in words and an icon, never by colour alone.
 */
export class BannerStrip {
  readonly el = h('section', { class: 'banners', 'aria-label': 'Events' });
  private readonly live = h('div', { class: 'banner-live', role: 'alert', 'aria-live': 'assertive' });
  private readonly history = h('ul', { class: 'banner-history' });
  private lastTick = -1;
  private primed = false;
  private hideTimer: number | undefined;

  constructor() {
    this.el.append(this.live, this.history);
  }

  update(banners: BannerView[]): void {
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
          h('li', { class: `tone-${TONE[b.kind] ?? 'info'}` }, `${ICON[b.kind] ?? '📣'} ${b.text}`),
        ),
    );
    // The first view after a (re)load only fills the history: old news is not shouted again.
    if (first) return;
    const b = fresh[fresh.length - 1]!;
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
