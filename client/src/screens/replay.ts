import { navigate, type Screen } from '../router.ts';
import { listGames, openedFile, readLogFile, type GameListing } from '../replay/log-source.ts';
import { h } from '../ui/dom.ts';
import { CARDS_ON_PHONE } from '../ui/tables.ts';
import { ENDED_EARLY, clock, dateTime } from '../ui/format.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { teacherSession } from '../net/session-store.ts';
import { historyPanel } from './history.ts';
import { logDownloadLink } from '../replay/log-download.ts';

/** /replay: pick a game kept by the server, or open a downloaded log (no server needed after that). */
export const replayListScreen: Screen = (root) => {
  root.className = 'replay-list';
  const fileInput = h('input', {
    type: 'file',
    id: 'replay-file',
    accept: '.json,application/json',
    'data-testid': 'replay-file',
  });
  const fileError = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'replay-file-error' });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    fileError.replaceChildren();
    void readLogFile(file).then((r) => {
      if (!r.ok) {
        fileError.replaceChildren(
          h('p', {}, `“${file.name}” cannot be replayed:`),
          h('ul', {}, ...r.errors.slice(0, 6).map((e) => h('li', {}, e))),
        );
        return;
      }
      openedFile.set({ log: r.log, name: file.name });
      navigate('/replay/file');
    });
  });
  const historyBox = h('div');
  const gamesBox = h(
    'div',
    { class: 'table-scroll', 'aria-live': 'polite' },
    h('p', {}, 'Loading the server’s games…'),
  );
  root.append(
    h(
      'header',
      { class: 'topbar' },
      h('h1', {}, '🎞️ Replays'),
      h('a', { href: '#/', class: 'button-link' }, '← Home'),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '📂 Open a downloaded game log'),
      h(
        'p',
        {},
        'A log downloaded from a game (or written by the simulator) replays here with no server: the game runs again in this page.',
      ),
      h('p', {}, h('label', { for: 'replay-file' }, 'Game log file (.json): '), fileInput),
      fileError,
    ),
    h('section', { class: 'panel' }, h('h2', {}, '🗂️ Games on this server'), gamesBox),
    historyBox,
  );
  void fetch('/api/scenarios')
    .then(async (r) => (r.ok ? ((await r.json()) as { id: string; name: string }[]) : []))
    .then((list) => historyBox.replaceChildren(historyPanel(list)))
    .catch(() => historyBox.replaceChildren());
  void listGames()
    .then((games) => gamesBox.replaceChildren(gamesTable(games)))
    .catch((err: unknown) =>
      gamesBox.replaceChildren(
        h(
          'p',
          { role: 'alert' },
          `The list of games is not available (${err instanceof Error ? err.message : String(err)}). You can still open a log file above.`,
        ),
      ),
    );
};

function gamesTable(games: GameListing[]): HTMLElement {
  if (games.length === 0) return h('p', { class: 'empty' }, 'No games yet. Host one, or open a log file.');
  const sorted = [...games].sort((a, b) => b.createdAt - a.createdAt);
  return h(
    'table',
    { class: `games-table ${CARDS_ON_PHONE}`, 'data-testid': 'games-table' },
    h('caption', { class: 'sr-only' }, 'Games kept by this server, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Started', 'Class', 'Scenario', 'Players', 'Status', 'Reached', ''].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...sorted.map((g) =>
        h(
          'tr',
          { 'data-game': g.gameId },
          h('td', { 'data-label': 'Started' }, dateTime(g.createdAt)),
          h('td', { 'data-label': 'Class' }, g.className || '—'),
          h('th', { scope: 'row' }, g.scenarioName),
          h('td', { 'data-label': 'Players' }, String(g.players)),
          h('td', { 'data-label': 'Status' }, statusText(g)),
          h('td', { 'data-label': 'Reached' }, clock(g.tick / TICKS_PER_SECOND)),
          h(
            'td',
            { class: 'button-row wide-cell' },
            // A running game's log is its teacher's until the end (the server answers 403 otherwise).
            ...(g.ended || teacherSession.get()?.gameId === g.gameId
              ? [
                  h(
                    'a',
                    { href: `#/replay/${g.gameId}`, class: 'button-link', 'data-action': 'replay' },
                    g.ended ? '▶ Replay' : '▶ Replay so far (your game)',
                  ),
                  g.ended ? logDownloadLink(g.gameId) : null,
                ]
              : [h('span', { class: 'hint' }, 'replayable when it ends')]),
          ),
        ),
      ),
    ),
  );
}

function statusText(g: GameListing): string {
  if (g.endedEarly) return ENDED_EARLY;
  if (g.ended || g.status === 'ended') return '🏁 finished';
  if (g.status === 'running') return g.paused ? '⏸ paused' : '▶ running';
  if (g.status === 'lobby') return '⏳ lobby';
  return '🚪 closed';
}
