import type { FinalResults } from '../../../shared/protocol/views.ts';
import type { GameState } from '../../../shared/sim/state.ts';
import { SORT_KEYS, type SortKey } from '../../../shared/sim/results.ts';
import { resultsOf } from '../replay/replay-model.ts';
import { h, setText } from '../ui/dom.ts';
import { clock, strategyText } from '../ui/format.ts';
import { rankCell } from '../ui/rank-text.ts';
import { botTag, strategyTable } from '../ui/tables.ts';
import { shownName } from '../../../shared/views/player-label.ts';
import { RESULT_METRICS, metricClass } from '../../../shared/views/result-metrics.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';

const SORT_TEXT: Record<SortKey, string> = {
  profit: 'profit',
  shareServed: 'share of customers served',
  availability: 'time open for business',
  p95Wait: 'p95 wait (shortest first)',
  costPerCup: 'cost per cup (cheapest first)',
};

/**
 * The replay's leaderboard at the replay's current moment (the final results at the end): sortable by
 * every score, reference bots marked as such, each name a button that watches that player, and the
 * strategy comparison below.
 */
export class ReplayBoard {
  readonly el: HTMLElement;
  private readonly sort: HTMLSelectElement;
  private readonly heading = h('h2', { id: 'replay-board-title' }, '🏆 Leaderboard');
  private readonly tableBox = h('div', { class: 'table-scroll' });
  private readonly strategyBox = h('div', { class: 'table-scroll' });
  private last: FinalResults | null = null;
  private lastState: GameState | null = null;
  private selected: string | null = null;

  constructor(
    private readonly gameId: string,
    private readonly hash: string,
    private readonly onWatch: (playerId: string) => void,
  ) {
    this.sort = h(
      'select',
      { id: 'replay-sort', 'data-testid': 'replay-sort' },
      ...SORT_KEYS.map((k) => h('option', { value: k }, SORT_TEXT[k])),
    );
    this.sort.addEventListener('change', () => this.lastState && this.update(this.lastState));
    this.el = h(
      'section',
      { class: 'panel replay-board', 'aria-labelledby': 'replay-board-title' },
      this.heading,
      h('p', {}, h('label', { for: 'replay-sort' }, 'Rank by: '), this.sort),
      this.tableBox,
      h('h3', {}, '🧠 Strategy comparison'),
      this.strategyBox,
    );
  }

  get results(): FinalResults | null {
    return this.last;
  }

  setSelected(playerId: string): void {
    this.selected = playerId;
    for (const tr of this.tableBox.querySelectorAll<HTMLElement>('tr[data-id]'))
      tr.classList.toggle('watched', tr.dataset.id === playerId);
  }

  update(state: GameState): void {
    this.lastState = state;
    const sortBy = this.sort.value as SortKey;
    const r = resultsOf(state, sortBy, this.gameId, this.hash);
    this.last = r;
    const ended = state.status === 'ended';
    setText(
      this.heading,
      ended ? '🏆 Final results' : `🏆 Leaderboard at ${clock(state.tick / TICKS_PER_SECOND)}`,
    );
    this.tableBox.replaceChildren(this.table(r, sortBy));
    this.strategyBox.replaceChildren(strategyTable(r.strategies));
  }

  private table(r: FinalResults, sortBy: SortKey): HTMLTableElement {
    const cols = ['#', 'Player', ...RESULT_METRICS.map((m) => m.short), 'Strategy'];
    const sortedCol = RESULT_METRICS.find((m) => m.key === sortBy)?.short;
    return h(
      'table',
      { class: 'leaderboard replay-leaderboard', 'data-testid': 'replay-leaderboard' },
      h('caption', { class: 'sr-only' }, `Ranked by ${SORT_TEXT[sortBy]}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...cols.map((c) =>
            h('th', { scope: 'col', 'aria-sort': c === sortedCol ? 'descending' : null }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...r.leaderboard.map((p) =>
          h(
            'tr',
            {
              'data-player': p.name,
              'data-id': p.id,
              'data-profit': p.profit,
              'data-served': p.served,
              class: `${p.bot ? 'bot-row' : ''}${p.id === this.selected ? ' watched' : ''}`,
            },
            h('td', {}, rankCell(p.rank)),
            h(
              'th',
              { scope: 'row' },
              h(
                'button',
                {
                  class: 'link watch-player',
                  title: `Watch ${p.name}'s business`,
                  onclick: () => this.onWatch(p.id),
                },
                shownName(p),
              ),
              botTag(p, false),
              p.id === this.selected ? h('span', { class: 'watched-tag' }, ' 👁 watching') : null,
            ),
            ...RESULT_METRICS.map((m) => h('td', { class: metricClass(m, p) }, m.text(p))),
            h('td', {}, strategyText(p.strategy, p.badges)),
          ),
        ),
      ),
    );
  }
}
