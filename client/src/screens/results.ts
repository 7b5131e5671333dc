import { TimeChart } from '../charts/time-chart.ts';
import { lastResults } from '../net/session-store.ts';
import type { Screen } from '../router.ts';
import { h } from '../ui/dom.ts';
import { leaderboardTable, scrollBox, strategyTable } from '../ui/tables.ts';
import { resultsCsv } from '../ui/results-csv.ts';
import { placeText } from '../ui/rank-text.ts';
import { ENDED_EARLY_NOTE } from '../ui/format.ts';
import { placeIn } from '../../../shared/views/rank-sharing.ts';
import { PLAYER_COLOURS } from '../ui/theme.ts';
import { studentReports } from './student-reports.ts';
import { playerLabel } from '../../../shared/views/player-label.ts';

const PALETTE = PLAYER_COLOURS;
const DASHES: (number[] | undefined)[] = [undefined, [8, 4], [2, 3], [12, 4, 2, 4]];

/** /results: the end of the game. Leaderboard, strategy comparison, per-player charts, CSV export. */
export const resultsScreen: Screen = (root) => {
  root.className = 'results';
  const stored = lastResults.get();
  if (!stored) {
    root.append(
      h(
        'div',
        { class: 'card' },
        h('h1', {}, 'No results yet'),
        h('p', {}, 'Results appear here when a game ends.'),
        h('a', { href: '#/' }, '← Home'),
      ),
    );
    return;
  }
  const { results, history } = stored;
  const csvButton = h('button', { class: 'primary', 'data-action': 'csv' }, '⬇️ Download CSV');
  csvButton.addEventListener('click', () => {
    const blob = new Blob([resultsCsv(results)], { type: 'text/csv;charset=utf-8' });
    const a = h('a', {
      href: URL.createObjectURL(blob),
      download: `lemonscale-${stored.roomCode}-${results.gameId}.csv`,
    });
    document.body.append(a);
    a.click();
    a.remove();
  });

  // Per-player charts: the top ten by rank (and the student's own line), one colour and dash each.
  const ranked = results.leaderboard.slice(0, 10);
  const withData = ranked.filter((r) => history[r.id]?.samples.length);
  const charts: TimeChart[] = [];
  const chartBox = h('section', { class: 'panel result-charts', 'aria-label': 'Per-player charts' });
  if (withData.length) {
    const xs = [...new Set(withData.flatMap((r) => history[r.id]!.samples.map((s) => s[0])))].sort(
      (a, b) => a - b,
    );
    const series = (idx: 1 | 2 | 3): number[][] =>
      withData.map((r) => {
        const m = new Map(history[r.id]!.samples.map((s) => [s[0], s[idx]]));
        let last = 0;
        return xs.map((x) => (last = m.get(x) ?? last));
      });
    const spec = withData.map((r, i) => ({
      label: playerLabel(r),
      stroke: PALETTE[i % PALETTE.length]!,
      dash: DASHES[i % DASHES.length],
    }));
    for (const [title, idx, y] of [
      ['Profit over time', 1, 'dollars'],
      ['Customers served', 2, 'cups'],
      ['Customers lost', 3, 'people'],
    ] as const) {
      const c = new TimeChart(title, spec, { yLabel: y });
      c.setAll([xs, ...series(idx)]);
      charts.push(c);
      chartBox.append(c.el);
    }
  } else {
    chartBox.append(h('p', {}, 'This browser did not watch the game, so there is no history to chart.'));
  }

  const me = results.me;
  root.append(
    h(
      'header',
      { class: 'results-head' },
      h('h1', {}, '🏁 Results'),
      results.endedEarly
        ? h('p', { class: 'ended-early', 'data-testid': 'ended-early' }, ENDED_EARLY_NOTE)
        : null,
      me
        ? h('p', { class: 'final-rank' }, `You finished ${placeText(placeIn(results.leaderboard, me.rank))}`)
        : null,
      h(
        'div',
        { class: 'button-row' },
        csvButton,
        results.gameId !== 'practice'
          ? h(
              'a',
              { href: `#/replay/${results.gameId}`, class: 'button-link', 'data-action': 'replay' },
              '🎞️ Replay this game',
            )
          : null,
        h(
          'a',
          { href: stored.role === 'teacher' ? '#/host' : '#/', class: 'button-link' },
          stored.role === 'teacher' ? 'Host another game' : 'Home',
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'data-testid': 'final-leaderboard' },
      h('h2', {}, '🏆 Leaderboard'),
      scrollBox('Leaderboard table', leaderboardTable(results.leaderboard)),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '🧠 Strategy comparison'),
      scrollBox('Strategy table', strategyTable(results.strategies)),
    ),
    chartBox,
  );
  const reports = studentReports(results);
  if (reports) root.append(reports);
  root.append(h('p', { class: 'hint' }, `Game ${results.gameId} · check hash ${results.hash}`));
  return () => charts.forEach((c) => c.destroy());
};
