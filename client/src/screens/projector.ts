import type { ClassView } from '../../../shared/protocol/views.ts';
import { gameSocket, request } from '../net/socket.ts';
import { keepResumed, RESUME_PATIENCE_MS } from '../net/keep-resumed.ts';
import { pageTimers } from '../net/timers.ts';
import { listen } from '../net/listen.ts';
import type { Screen } from '../router.ts';
import { BannerStrip } from '../ui/banner-strip.ts';
import { classNow } from '../ui/now-facts.ts';
import { h, setText } from '../ui/dom.ts';
import { clock, headcount, money, pct, rate } from '../ui/format.ts';
import { headcountOf } from '../../../shared/views/headcount.ts';
import { playerLabel, shownName } from '../../../shared/views/player-label.ts';
import { joinLinkParts, studentOrigin } from '../ui/join-link.ts';
import { botTag, leaderboardTable, scrollBox, strategyTable } from '../ui/tables.ts';
import { medal, ordinal } from '../ui/rank-text.ts';
import { TimeChart } from '../charts/time-chart.ts';
import { SERIES_COLOURS } from '../ui/theme.ts';
import { showSaveTrouble } from '../ui/save-banner.ts';
import { teacherSession } from '../net/session-store.ts';
import { newCommandId } from '../net/safe-command.ts';

/**
 * /projector/CODE: read-only, for the classroom screen, readable from the back row. Lobby: the code,
 * the QR and who has joined. Playing: the class summary, top players, strategies and event banners.
 */
export const projectorScreen: Screen = (root, params) => {
  root.className = 'projector';
  const code = (params.code ?? '').toUpperCase();
  const s = gameSocket();
  const join = joinLinkParts(code);
  // The address to type: this page's host, or the network address when this screen runs on localhost.
  const hostText = h('span', { class: 'proj-url' }, location.host);
  void studentOrigin().then((origin) => (hostText.textContent = new URL(origin).host));
  const banners = new BannerStrip();
  const lobby = h(
    'section',
    { class: 'proj-lobby' },
    h(
      'div',
      { class: 'proj-join' },
      h('p', { class: 'proj-label' }, 'Join at', h('br'), hostText),
      h('p', { class: 'proj-label' }, 'with the code'),
      h('p', { class: 'proj-code', 'data-testid': 'projector-code' }, code),
    ),
    join.qr,
  );
  const names = h('ul', { class: 'proj-names', 'aria-label': 'Players who joined' });
  // Opened from the console (the same browser holds the teacher's token): a name is a button that
  // removes that player, after asking. Anywhere else the names are just names.
  const teacher = teacherSession.get();
  const teacherToken = teacher?.roomCode === code ? teacher.teacherToken : null;
  const removeNote = h('p', {
    class: 'proj-remove-note',
    role: 'status',
    'data-testid': 'projector-remove-note',
  });
  const removeName = async (id: string, name: string): Promise<void> => {
    if (!window.confirm(`Remove ${name} from the game?`)) return;
    const res = await request('projector:remove', {
      roomCode: code,
      ...(teacherToken ? { teacherToken } : {}),
      playerId: id,
      commandId: newCommandId(),
    });
    removeNote.textContent = res.ok ? `${name} was removed.` : `❌ ${res.error.message}`;
  };
  const title = h('h1', { class: 'proj-title' }, '🍋 Lemonscale');
  const clockEl = h('p', { class: 'proj-clock' });
  const stats = h('div', { class: 'proj-stats' });
  const top = h('div', { class: 'proj-top' });
  const strat = h('div', { class: 'proj-strat' });
  // The chart takes what the screen has left below the numbers (the projector never scrolls).
  const chart = new TimeChart(
    'Class demand vs capacity',
    [
      { label: 'demand', stroke: SERIES_COLOURS.demand, width: 4 },
      { label: 'capacity', stroke: SERIES_COLOURS.capacity, dash: [10, 6], width: 4 },
    ],
    {
      height: () => Math.max(140, Math.round(window.innerHeight * 0.36)),
      fontSize: 16,
      yLabel: 'per second',
    },
  );
  // While the scores are hidden: the customers per second alone, the same for every business (the class
  // chart's capacity line is the class's sum, which the server does not send then).
  const demandChart = new TimeChart(
    'Customers per second',
    [{ label: 'demand', stroke: SERIES_COLOURS.demand, width: 4 }],
    {
      height: () => Math.max(140, Math.round(window.innerHeight * 0.36)),
      fontSize: 16,
      yLabel: 'per second',
    },
  );
  const comingUp = h('ol', { class: 'proj-coming', 'data-testid': 'projector-coming-up' });
  const comingBox = h(
    'div',
    { class: 'proj-coming-box', hidden: true },
    h('h2', {}, '⏭ Coming up'),
    comingUp,
  );
  const topTitle = h('h2', {}, '🏆 Top players');
  const hiddenNote = h(
    'p',
    { class: 'proj-hidden', 'data-testid': 'projector-scores-hidden', hidden: true },
    '🙈 Scores are hidden until the end of the game: watch your own business!',
  );
  const podium = h('ol', { class: 'podium', 'aria-label': 'Podium', 'data-testid': 'podium', hidden: true });
  const stratBox = h('div', { class: 'proj-strat-box' }, h('h2', {}, '🧠 Strategies'), strat);
  const play = h(
    'section',
    { class: 'proj-play', hidden: true },
    stats,
    podium,
    h(
      'div',
      { class: 'proj-columns' },
      h('div', { class: 'proj-top-box' }, topTitle, top, hiddenNote, comingBox),
      h('div', { class: 'proj-chart-box' }, chart.el, demandChart.el),
      stratBox,
    ),
  );
  // Paused: the whole screen says so, big, so the class looks up and talks.
  const pausedClock = h('p', { class: 'proj-paused-clock' });
  const paused = h(
    'div',
    { class: 'proj-paused', 'data-testid': 'projector-paused', role: 'status', hidden: true },
    h(
      'p',
      { class: 'proj-paused-title' },
      h('span', { class: 'proj-paused-icon', 'aria-hidden': 'true' }, '⏸'),
      ' PAUSED',
    ),
    h('p', { class: 'proj-paused-sub' }, "Let's talk: what is happening to your lemonade stands?"),
    pausedClock,
  );
  const note = h('p', { class: 'proj-note', role: 'status' }, 'Connecting…');
  root.append(
    h('header', { class: 'proj-head' }, title, clockEl),
    note,
    banners.el,
    lobby,
    names,
    removeNote,
    play,
    paused,
  );

  let lastSecond = -1;
  let lastKey = '';
  const onView = (v: ClassView): void => {
    note.hidden = true;
    showSaveTrouble(v.cantSave);
    setText(title, `🍋 ${v.scenario.name}`);
    setText(
      clockEl,
      v.status === 'lobby'
        ? `${headcount(headcountOf(v.players))} joined${v.locked ? ' · 🔒 locked' : ''}`
        : `⏱ ${clock(v.seconds)} / ${clock(v.durationSeconds)}${v.phase ? ` · ${v.phase}` : ''}${v.paused ? ' · ⏸ paused' : ''}${v.status === 'ended' ? ' · 🏁 game over' : ''}`,
    );
    banners.update(v.banners, classNow(v), v.tick);
    const inLobby = v.status === 'lobby';
    lobby.hidden = !inLobby;
    play.hidden = inLobby;
    names.hidden = !inLobby;
    removeNote.hidden = !inLobby;
    if (inLobby) {
      const list = v.players.filter((p) => !p.removed);
      const key = list.map((p) => `${p.id} ${p.name}`).join('\n');
      if (names.dataset.key !== key) {
        names.dataset.key = key;
        names.replaceChildren(
          ...list.map((p) =>
            h(
              'li',
              {},
              teacherToken
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'proj-name-remove',
                      'data-player': p.name,
                      'aria-label': `${playerLabel(p)} (remove from the game)`,
                      title: 'Remove from the game',
                      onclick: () => void removeName(p.id, shownName(p)),
                    },
                    playerLabel(p),
                  )
                : playerLabel(p),
            ),
          ),
        );
      }
      return;
    }
    const ended = v.status === 'ended';
    paused.hidden = !(v.paused && v.status === 'running');
    setText(pausedClock, `⏱ ${clock(v.seconds)} / ${clock(v.durationSeconds)}`);
    root.classList.toggle('ended', ended);
    // Drawn once a game second while the game runs (views come up to 10 times a second), and again
    // when a pause, the hidden scores or the surprise schedule change what it shows: paused mid-second,
    // the screen kept that second's first numbers (the phones showed the paused moment), and scores
    // hidden during a pause stayed on screen until the game went on. The charts take a point a second.
    const sec = Math.floor(v.seconds);
    const key = `${sec} ${v.paused ? v.tick : ''} ${v.scoresHidden} ${v.scheduleHidden}`;
    if (key === lastKey && !ended) return;
    lastKey = key;
    const newSecond = sec !== lastSecond;
    lastSecond = sec;
    const t = v.totals;
    // While the teacher hides the scores the server sends no rows, medians or score sums
    // (scoresHidden): say so instead of empty headers and zeros.
    const hidden = v.scoresHidden;
    hiddenNote.hidden = !hidden;
    topTitle.hidden = hidden || ended;
    top.hidden = hidden || ended;
    stratBox.hidden = hidden || !ended;
    chart.el.hidden = ended || hidden;
    demandChart.el.hidden = ended || !hidden;
    comingBox.hidden = !hidden;
    stats.classList.toggle('few', hidden);
    podium.hidden = !ended || hidden;
    if (ended) podium.replaceChildren(...podiumSteps(v.leaderboard));
    if (newSecond) demandChart.push(v.seconds, [t.demand]);
    // The class's sums are shown where the view has them; a withheld one (null, scores hidden) is left
    // out, never shown as 0. With them hidden, what is the same for everyone fills the screen: demand,
    // how many play, the time left and what is planned (the banner strip counts down to the next event).
    stats.replaceChildren(
      stat('Customers/s', rate(t.demand), v.surge > 1 ? `surge x${v.surge}` : ''),
      ...(t.capacity === null
        ? []
        : [stat('Capacity', rate(t.capacity), t.capacity < t.demand ? '⚠️ not enough' : '✔ enough')]),
      ...(t.served === null ? [] : [stat('Served', String(t.served), '')]),
      ...(t.lost === null ? [] : [stat('Lost', String(t.lost), lostShare(t.served, t.lost))]),
      t.playersAvailable === null
        ? stat('Playing', String(t.players), 'businesses')
        : stat('Open now', `${t.playersAvailable}/${t.players}`, 'businesses'),
      ...(hidden ? [stat('Time left', clock(v.durationSeconds - v.seconds), v.phase ?? '')] : []),
    );
    if (hidden) {
      comingUp.replaceChildren(
        ...(v.upcoming.length
          ? v.upcoming
              .slice(0, 3)
              .map((e) =>
                h('li', {}, h('span', { class: 'proj-coming-at' }, clock(e.atSeconds)), ' ', e.text),
              )
          : [
              h(
                'li',
                { class: 'proj-coming-none' },
                'Nothing announced: the teacher may still surprise you!',
              ),
            ]),
      );
      return;
    }
    top.replaceChildren(
      scrollBox('Top players table', leaderboardTable(v.leaderboard.slice(0, 5), { compact: true })),
    );
    strat.replaceChildren(scrollBox('Strategy table', strategyTable(v.strategies)));
    if (t.capacity !== null && newSecond) chart.push(v.seconds, [t.demand, t.capacity]);
  };
  const onClosed = (info: { message: string }): void => {
    note.hidden = false;
    note.textContent = `❌ ${info.message}`;
  };
  const unlisten = listen(s, { 'view:class': onView, 'room:closed': onClosed });
  // Watching again on every (re)connect; a failover or a busy server is asked again until it answers
  // (net/keep-resumed.ts): the class sees "back in a moment", then the game, with nobody at the keyboard.
  const show = (text: string): void => {
    note.hidden = false;
    note.textContent = text;
  };
  const stop = keepResumed({
    event: 'projector:watch',
    payload: () => ({ roomCode: code }),
    s,
    patienceMs: RESUME_PATIENCE_MS,
    timers: pageTimers,
    ok: () => undefined, // the class view that follows hides the note
    waiting: (_code, message) => show(`⏳ ${message}`),
    gone: (_code, message) => show(`❌ ${message}`),
  });
  return () => {
    stop();
    unlisten();
    showSaveTrouble(undefined);
    chart.destroy();
    demandChart.destroy();
  };
};

/** "12% of customers" beside the lost count, when both counts are there and anyone came. */
function lostShare(served: number | null, lost: number): string {
  return served !== null && served + lost > 0 ? `${pct(lost / (served + lost))} of customers` : '';
}

/** Names a podium step shows before 'and N more'. */
const PODIUM_NAMES = 4;

/**
 * Second, first, third from left to right, as on a real podium; each step says its place in words.
 * Equal profits share a place (the leaderboard ranks 1, 2, 2, 4): a step holds everyone at its place,
 * so two students tied for third both stand on the 🥉 step, and a place nobody holds (no 2nd after a
 * tie for 1st) has no step.
 */
function podiumSteps(rows: ClassView['leaderboard']): HTMLElement[] {
  const steps: HTMLElement[] = [];
  for (const place of [2, 1, 3]) {
    const here = rows.filter((r) => r.rank === place);
    if (here.length === 0) continue;
    // A step fits a few names readable from the back row; more say how many (of the rows the server
    // sends the projector: its top PROJECTOR_ROWS).
    const named = here.slice(0, PODIUM_NAMES);
    const more = here.length - named.length;
    steps.push(
      h(
        'li',
        { class: `podium-step place-${place}${here.length > 1 ? ' shared' : ''}`, value: place },
        h('span', { class: 'podium-medal', 'aria-hidden': 'true' }, medal(place)),
        ...named.map((r) => h('span', { class: 'podium-name' }, shownName(r), botTag(r, true))),
        more > 0 ? h('span', { class: 'podium-more' }, `and ${more} more`) : null,
        h('span', { class: 'podium-profit' }, money(here[0]!.profit)),
        h('span', { class: 'podium-place' }, here.length > 1 ? `${ordinal(place)}, tied` : ordinal(place)),
      ),
    );
  }
  return steps;
}

function stat(label: string, value: string, sub: string): HTMLElement {
  return h(
    'div',
    { class: 'proj-stat' },
    h('p', { class: 'proj-stat-label' }, label),
    h('p', { class: 'proj-stat-value' }, value),
    h('p', { class: 'proj-stat-sub' }, sub),
  );
}
