import type { PlayerResults, StrategySummary } from '../../../shared/sim/results.ts';
import { h } from './dom.ts';
import { BADGE_TEXT, STRATEGY_TEXT, money, pct, secs, strategyText } from './format.ts';
import { rankCell } from './rank-text.ts';
import { BOT_MARK, playerLabel, shownName } from '../../../shared/views/player-label.ts';
import { COMPACT_METRICS, RESULT_METRICS, metricClass } from '../../../shared/views/result-metrics.ts';

type Row = PlayerResults & { rank: number };

/**
 * A wide table in a box that scrolls by itself on a narrow screen (the page never scrolls sideways);
 * focusable and named, so a keyboard user can scroll it too.
 */
export function scrollBox(label: string, table: HTMLElement): HTMLElement {
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label }, table);
}

/**
 * A table whose rows become cards on a phone (styles.css): each cell says what it is (`data-label`), the
 * row's header is the card's title. A leaderboard of eight columns in a box that scrolls sideways hid
 * most of each student's numbers on a 390 px screen.
 */
export const CARDS_ON_PHONE = 'cards-on-phone';

/** The leaderboard as a real table: the same one on the teacher console, the projector and results. */
export function leaderboardTable(
  rows: Row[],
  opts: { compact?: boolean; caption?: string } = {},
): HTMLTableElement {
  const metrics = opts.compact ? COMPACT_METRICS : RESULT_METRICS;
  const cols = ['#', 'Player', ...metrics.map((m) => m.short), 'Strategy'];
  return h(
    'table',
    { class: opts.compact ? 'leaderboard' : `leaderboard ${CARDS_ON_PHONE}` },
    opts.caption ? h('caption', {}, opts.caption) : null,
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-player': r.name },
          h('td', { 'data-label': 'Rank' }, rankCell(r.rank)),
          opts.compact
            ? h(
                'th',
                { scope: 'row' },
                h('span', { class: 'cell-cut', title: playerLabel(r) }, shownName(r), botTag(r, true)),
              )
            : h('th', { scope: 'row' }, shownName(r), botTag(r, false)),
          ...metrics.map((m) => h('td', { class: metricClass(m, r), 'data-label': m.short }, m.text(r))),
          h('td', { class: 'wide-cell', 'data-label': 'Strategy' }, strategyCell(r, opts.compact === true)),
        ),
      ),
    ),
  );
}

/**
 * The compact table (the projector's top players) keeps every row on one line: the bot word and the
 * badges' words are for screen readers only there, the icons say it on screen (and on the podium).
 */
export function botTag(r: { bot: string | null }, compact: boolean): HTMLElement | null {
  if (!r.bot) return null;
  return compact
    ? h('span', { class: 'bot-tag' }, ' 🤖', h('span', { class: 'sr-only' }, ' bot'))
    : h('span', { class: 'bot-tag' }, ` ${BOT_MARK}`);
}

function strategyCell(r: Row, compact: boolean): string | HTMLElement {
  if (!compact) return strategyText(r.strategy, r.badges);
  return h(
    'span',
    {},
    STRATEGY_TEXT[r.strategy] ?? r.strategy,
    ...r.badges.map((b) => {
      const [icon, ...words] = (BADGE_TEXT[b] ?? b).split(' ');
      return h(
        'span',
        { title: words.join(' ') },
        ` ${icon}`,
        h('span', { class: 'sr-only' }, ` ${words.join(' ')}`),
      );
    }),
  );
}

const STRATEGY_COLUMNS = ['Strategy', 'Players', 'Profit', 'Open', 'p95 wait', 'Cost/cup'];

export function strategyTable(rows: StrategySummary[]): HTMLTableElement {
  return h(
    'table',
    { class: `strategies ${CARDS_ON_PHONE}` },
    h('caption', {}, 'Which strategy worked? (medians)'),
    h('thead', {}, h('tr', {}, ...STRATEGY_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((s) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, STRATEGY_TEXT[s.strategy] ?? s.strategy),
          ...[
            String(s.players),
            money(s.medianProfit),
            pct(s.medianAvailability),
            secs(s.medianP95Wait),
            s.medianCostPerCup === null ? '—' : money(s.medianCostPerCup),
          ].map((text, i) => h('td', { 'data-label': STRATEGY_COLUMNS[i + 1]! }, text)),
        ),
      ),
    ),
  );
}
