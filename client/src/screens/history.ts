import { h } from '../ui/dom.ts';
import { playerLabel } from '../../../shared/views/player-label.ts';
import { STRATEGY_TEXT, dateTime, money } from '../ui/format.ts';
import { CARDS_ON_PHONE } from '../ui/tables.ts';
import type { StrategySummary } from '../../../shared/sim/results.ts';

interface HistoryGame {
  gameId: string;
  className: string;
  createdAt: number;
  endedAt: number | null;
  outcome: {
    players: number;
    medianProfit: number;
    strategies: StrategySummary[];
    top: { name: string; profit: number; strategy: string; badges: string[]; bot: boolean }[];
  };
}

const STRATEGIES = ['scale-up', 'scale-out', 'hybrid', 'no-scaling'] as const;

/**
 * The same scenario across classes: every finished game of it on this server, side by side: how many
 * played, the median profit, and how each strategy did (players and median profit). A teacher sees
 * whether this class found the lesson sooner than the last one.
 */
export function historyPanel(scenarios: { id: string; name: string }[]): HTMLElement {
  const picker = h(
    'select',
    { id: 'history-scenario', 'data-testid': 'history-scenario' },
    ...scenarios.map((s) => h('option', { value: s.id }, s.name)),
  ) as HTMLSelectElement;
  const box = h('div', { class: 'table-scroll', 'aria-live': 'polite', 'data-testid': 'history' });
  const load = (): void => {
    box.replaceChildren(h('p', {}, 'Loading…'));
    void fetch(`/api/scenarios/${encodeURIComponent(picker.value)}/history`)
      .then(async (r) => {
        if (!r.ok) throw new Error(`the server answered ${r.status}`);
        const body = (await r.json()) as { games: HistoryGame[]; retentionDays?: number | null };
        box.replaceChildren(historyTable(body.games), keptNote(body.retentionDays ?? null));
      })
      .catch((err: unknown) =>
        box.replaceChildren(h('p', { role: 'alert' }, `No history available (${String(err)}).`)),
      );
  };
  picker.addEventListener('change', load);
  if (scenarios.length > 0) load();
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, '📚 Compare classes'),
    h('p', {}, h('label', { for: 'history-scenario' }, 'Scenario: '), picker),
    box,
  );
}

/**
 * How long this server keeps games (GAME_RETENTION_DAYS), said where a teacher looks for old classes: a
 * class missing from the list a year on is then no surprise. Nothing when games are kept forever.
 */
export function keptNote(days: number | null): HTMLElement | string {
  if (days === null) return '';
  return h(
    'p',
    { class: 'hint', 'data-testid': 'history-kept' },
    `This server keeps a game ${days} day${days === 1 ? '' : 's'} after it was last played, then deletes it: download a game's log (⬇️ Log) to keep it longer.`,
  );
}

function historyTable(games: HistoryGame[]): HTMLElement {
  if (games.length === 0) return h('p', { class: 'empty' }, 'No finished game of this scenario yet.');
  const cell = (g: HistoryGame, s: (typeof STRATEGIES)[number]): string => {
    const row = g.outcome.strategies.find((x) => x.strategy === s);
    return row ? `${row.players} · ${money(row.medianProfit)}` : '—';
  };
  return h(
    'table',
    { class: `games-table ${CARDS_ON_PHONE}` },
    h(
      'caption',
      {},
      'Games played to the end (not those ended early), newest first. Strategy columns: players · their median profit.',
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Class · played', 'Players', 'Median profit', 'Winner', ...STRATEGIES.map(strategyName), ''].map(
          (c) => h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...games.map((g) => {
        return h(
          'tr',
          { 'data-history-game': g.gameId },
          h('th', { scope: 'row' }, g.className ? `${g.className} · ` : '', dateTime(g.createdAt)),
          h('td', { 'data-label': 'Players' }, String(g.outcome.players)),
          h('td', { 'data-label': 'Median profit' }, money(g.outcome.medianProfit)),
          h('td', { class: 'wide-cell', 'data-label': 'Winner' }, winnerText(g)),
          ...STRATEGIES.map((s) => h('td', { 'data-label': strategyName(s) }, cell(g, s))),
          h(
            'td',
            { class: 'wide-cell' },
            h('a', { href: `#/replay/${g.gameId}`, class: 'button-link' }, '▶ Replay'),
          ),
        );
      }),
    ),
  );
}

/**
 * The game's winner, or winners: equal profits share first place (the leaderboard ranks by profit and
 * ties equal ones), and the first in join order alone was named. The stored top five is all there is to
 * go on: five tied there may be more.
 */
export function winnerText(g: Pick<HistoryGame, 'outcome'>): string {
  const top = g.outcome.top;
  const best = top[0];
  if (!best) return '—';
  const winners = top.filter((w) => w.profit === best.profit);
  if (winners.length === 1)
    return `${playerLabel(best)} (${strategyName(best.strategy)}, ${money(best.profit)})`;
  const more = winners.length === top.length && g.outcome.players > top.length ? ' and others' : '';
  return `${winners.map(playerLabel).join(', ')}${more} (tied, ${money(best.profit)})`;
}

/** A strategy in the leaderboard's words ("⬆️ Scale up"), not the code's ("scale-up"). */
function strategyName(code: string): string {
  return STRATEGY_TEXT[code] ?? code;
}
