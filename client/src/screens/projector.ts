import type { ClassView } from '../../../shared/protocol/views.ts';
import { gameSocket, onEveryConnect, request } from '../net/socket.ts';
import type { Screen } from '../router.ts';
import { BannerStrip } from '../ui/banner-strip.ts';
import { h, setText } from '../ui/dom.ts';
import { clock, pct, rate } from '../ui/format.ts';
import { joinLinkParts, studentOrigin } from '../ui/join-link.ts';
import { leaderboardTable, strategyTable } from '../ui/tables.ts';
import { TimeChart } from '../charts/time-chart.ts';
import { showSaveTrouble } from '../ui/save-banner.ts';

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
  const title = h('h1', { class: 'proj-title' }, '🍋 Lemonscale');
  const clockEl = h('p', { class: 'proj-clock' });
  const stats = h('div', { class: 'proj-stats' });
  const top = h('div', { class: 'proj-top' });
  const strat = h('div', { class: 'proj-strat' });
  const chart = new TimeChart(
    'Class demand vs capacity',
    [
      { label: 'demand', stroke: '#d63031', width: 4 },
      { label: 'capacity', stroke: '#1e7b34', dash: [10, 6], width: 4 },
    ],
    { height: 260, fontSize: 18, yLabel: 'per second' },
  );
  const play = h(
    'section',
    { class: 'proj-play', hidden: true },
    stats,
    h(
      'div',
      { class: 'proj-columns' },
      h('div', {}, h('h2', {}, '🏆 Top players'), top),
      h('div', {}, h('h2', {}, '🧠 Strategies'), strat, chart.el),
    ),
  );
  const note = h('p', { class: 'proj-note', role: 'status' }, 'Connecting…');
  root.append(h('header', { class: 'proj-head' }, title, clockEl), note, banners.el, lobby, names, play);

  let lastSecond = -1;
  const onView = (v: ClassView): void => {
    note.hidden = true;
    showSaveTrouble(v.cantSave);
    setText(title, `🍋 ${v.scenario.name}`);
    setText(
      clockEl,
      v.status === 'lobby'
        ? `${v.totals.players} joined${v.locked ? ' · 🔒 locked' : ''}`
        : `⏱ ${clock(v.seconds)} / ${clock(v.durationSeconds)}${v.phase ? ` · ${v.phase}` : ''}${v.paused ? ' · ⏸ paused' : ''}${v.status === 'ended' ? ' · 🏁 game over' : ''}`,
    );
    banners.update(v.banners);
    const inLobby = v.status === 'lobby';
    lobby.hidden = !inLobby;
    play.hidden = inLobby;
    names.hidden = !inLobby;
    if (inLobby) {
      const list = v.players.filter((p) => !p.removed).map((p) => p.name);
      if (names.dataset.key !== list.join('\n')) {
        names.dataset.key = list.join('\n');
        names.replaceChildren(...list.map((n) => h('li', {}, n)));
      }
      return;
    }
    const sec = Math.floor(v.seconds);
    if (sec === lastSecond) return;
    lastSecond = sec;
    const t = v.totals;
    if (v.scoresHidden) {
      // Hidden until the end: only what is the same for everyone (demand, how many play).
      stats.replaceChildren(
        stat('Customers/s', rate(t.demand), v.surge > 1 ? `surge x${v.surge}` : ''),
        stat('Players', String(t.players), 'scores hidden until the end'),
      );
      top.replaceChildren(h('p', {}, '🙈 Scores are hidden until the end.'));
      strat.replaceChildren();
      chart.push(v.seconds, [t.demand, 0]);
      return;
    }
    stats.replaceChildren(
      stat('Customers/s', rate(t.demand), v.surge > 1 ? `surge x${v.surge}` : ''),
      stat('Capacity', rate(t.capacity), t.capacity < t.demand ? '⚠️ not enough' : '✔ enough'),
      stat('Served', String(t.served), ''),
      stat(
        'Lost',
        String(t.lost),
        t.served + t.lost > 0 ? `${pct(t.lost / (t.served + t.lost))} of customers` : '',
      ),
      stat('Open now', `${t.playersAvailable}/${t.players}`, 'businesses'),
    );
    top.replaceChildren(leaderboardTable(v.leaderboard.slice(0, 5), { compact: true }));
    strat.replaceChildren(strategyTable(v.strategies));
    chart.push(v.seconds, [t.demand, t.capacity]);
  };
  s.on('view:class', onView);
  const onClosed = (info: { message: string }): void => {
    note.hidden = false;
    note.textContent = `❌ ${info.message}`;
  };
  s.on('room:closed', onClosed);
  const stop = onEveryConnect(() => {
    void request('projector:watch', { roomCode: code }).then((res) => {
      if (!res.ok) {
        note.hidden = false;
        note.textContent = `❌ ${res.error.message}`;
      }
    });
  });
  return () => {
    stop();
    s.off('view:class', onView);
    s.off('room:closed', onClosed);
    showSaveTrouble(undefined);
    chart.destroy();
  };
};

function stat(label: string, value: string, sub: string): HTMLElement {
  return h(
    'div',
    { class: 'proj-stat' },
    h('p', { class: 'proj-stat-label' }, label),
    h('p', { class: 'proj-stat-value' }, value),
    h('p', { class: 'proj-stat-sub' }, sub),
  );
}
