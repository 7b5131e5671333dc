import { SPEEDS } from '../../../shared/protocol/payloads.ts';
import type { TeacherAction } from '../../../shared/protocol/payloads.ts';
import type { ClassView, FinalResults, Presence } from '../../../shared/protocol/views.ts';
import { TimeChart } from '../charts/time-chart.ts';
import { ClassFlow, type FlowRow } from '../charts/class-flow.ts';
import type { ClassHistory } from '../../../shared/views/class-history.ts';
import { gameSocket } from '../net/socket.ts';
import { keepResumed, RESUME_PATIENCE_MS } from '../net/keep-resumed.ts';
import { pageTimers } from '../net/timers.ts';
import { listen } from '../net/listen.ts';
import { sendCommand } from '../net/safe-command.ts';
import { lastResults, teacherSession, type ResultsHistory } from '../net/session-store.ts';
import { navigate, type Screen } from '../router.ts';
import { BannerStrip } from '../ui/banner-strip.ts';
import { classNow } from '../ui/now-facts.ts';
import { h, setText } from '../ui/dom.ts';
import { EVENT_SPECS, eventForm, eventFromForm, type EventSpec } from '../ui/event-forms.ts';
import { clock, headcount } from '../ui/format.ts';
import { headcountOf } from '../../../shared/views/headcount.ts';
import { playerLabel, shownName } from '../../../shared/views/player-label.ts';
import { joinLinkParts } from '../ui/join-link.ts';
import { leaderboardTable, scrollBox, strategyTable } from '../ui/tables.ts';
import { SERIES_COLOURS } from '../ui/theme.ts';
import { showSaveTrouble } from '../ui/save-banner.ts';

/** Online (a live connection), away (no connection: a reload, a closed laptop), gone (pressed Leave). */
const PRESENCE_ICON: Record<Presence, string> = { online: '🟢', away: '🟡', gone: '⚪' };

/**
 * /teacher: the console. The room code big, QR and link; the lobby with kick and lock; start, pause,
 * speed, end; every event with its parameters (and keys 1-8); the schedule; live charts; the leaderboard.
 */
export const teacherScreen: Screen = (root) => {
  const session = teacherSession.get();
  if (!session) {
    navigate('/host');
    return;
  }
  root.className = 'teacher';
  const s = gameSocket();
  const join = joinLinkParts(session.roomCode);
  const feedback = h('p', { class: 'console-feedback', role: 'status', 'data-testid': 'teacher-feedback' });
  const status = h('p', { class: 'console-status', 'data-testid': 'teacher-status' }, 'Connecting…');
  const banners = new BannerStrip();

  const startBtn = h('button', { class: 'primary big', 'data-action': 'start' }, '▶ Start the game');
  const pauseBtn = h(
    'button',
    { class: 'secondary', 'data-action': 'pause', 'aria-pressed': 'false' },
    '⏸ Pause',
  );
  const lockBtn = h(
    'button',
    { class: 'secondary', 'data-action': 'lock', 'aria-pressed': 'false' },
    '🔓 Room open',
  );
  const scoresBtn = h(
    'button',
    { class: 'secondary', 'data-action': 'scores', 'aria-pressed': 'false' },
    '👀 Scores shown',
  );
  // aria-pressed: "keep the schedule a surprise" is on (no countdown for the class; the console keeps it).
  const scheduleBtn = h(
    'button',
    { class: 'secondary', 'data-action': 'schedule', 'aria-pressed': 'false' },
    '⏭ Schedule shown',
  );
  const endBtn = h('button', { class: 'danger', 'data-action': 'end' }, '🏁 End the game');
  const speedBtns = SPEEDS.map((sp) =>
    h(
      'button',
      {
        class: 'speed',
        'data-speed': sp,
        'aria-pressed': 'false',
        onclick: () => void send({ type: 'speed', speed: sp }, `Speed x${sp}`),
      },
      `x${sp}`,
    ),
  );

  let view: ClassView | null = null;
  startBtn.addEventListener('click', () => void send({ type: 'start' }, 'Game started'));
  pauseBtn.addEventListener('click', () => togglePause());
  lockBtn.addEventListener(
    'click',
    () =>
      view &&
      void send({ type: 'lock', locked: !view.locked }, view.locked ? 'Room unlocked' : 'Room locked'),
  );
  scoresBtn.addEventListener(
    'click',
    () =>
      view &&
      void send(
        { type: 'scores', hidden: !view.scoresHidden },
        view.scoresHidden ? 'Scores shown to the class' : 'Scores hidden from the class',
      ),
  );
  scheduleBtn.addEventListener(
    'click',
    () =>
      view &&
      void send(
        { type: 'schedule', hidden: !view.scheduleHidden },
        view.scheduleHidden ? 'The class sees the schedule again' : 'The schedule is a surprise now',
      ),
  );
  endBtn.addEventListener('click', () => {
    if (window.confirm('End the game for everyone now?')) void send({ type: 'end' }, 'Game ended');
  });

  const fire = (spec: EventSpec, form: HTMLFormElement): void => {
    const r = eventFromForm(spec, form);
    if (!r.ok) {
      say(`❌ ${r.message}`, false);
      if (r.field) form.querySelector<HTMLElement>(`[name="${r.field}"]`)?.focus();
      return;
    }
    void send({ type: 'event', event: r.event }, `${spec.title} sent to the class`);
  };
  const forms = EVENT_SPECS.map((spec) => eventForm(spec, fire));

  const lobbyList = h('ul', { class: 'lobby-list', 'data-testid': 'lobby' });
  const upcomingList = h('ol', { class: 'upcoming' });
  const boardBox = h('div', { class: 'board-box', 'data-testid': 'teacher-leaderboard' });
  const strategyBox = h('div', { class: 'strategy-box' });
  const demandChart = new TimeChart(
    'Class demand vs capacity',
    [
      { label: 'demand (customers/s)', stroke: SERIES_COLOURS.demand, width: 3 },
      { label: 'capacity (cups/s)', stroke: SERIES_COLOURS.capacity, dash: [8, 5], width: 3 },
    ],
    { yLabel: 'per second' },
  );
  const flowChart = new TimeChart(
    'Served vs lost (per second)',
    [
      { label: 'served/s', stroke: SERIES_COLOURS.served, width: 3 },
      { label: 'lost/s', stroke: SERIES_COLOURS.lost, dash: [4, 4], width: 3 },
    ],
    { yLabel: 'customers/s' },
  );
  demandChart.el.dataset.testid = 'demand-chart';
  flowChart.el.dataset.testid = 'flow-chart';

  root.append(
    h(
      'header',
      { class: 'console-head' },
      h(
        'div',
        { class: 'code-box' },
        h('p', { class: 'code-label' }, 'Room code'),
        h('p', { class: 'room-code', 'data-testid': 'room-code' }, session.roomCode),
        h('p', {}, join.link),
        h(
          'p',
          {},
          h(
            'a',
            { href: `#/projector/${session.roomCode}`, target: '_blank', rel: 'noopener' },
            '📽️ Open the projector view',
          ),
        ),
        join.note,
      ),
      join.qr,
      h(
        'div',
        { class: 'console-controls' },
        status,
        h('div', { class: 'button-row' }, startBtn, pauseBtn, lockBtn, scoresBtn, scheduleBtn, endBtn),
        h(
          'div',
          { class: 'button-row', role: 'group', 'aria-label': 'Game speed' },
          h('span', {}, 'Speed: '),
          ...speedBtns,
        ),
        feedback,
        h(
          'p',
          { class: 'hint keys-hint' },
          'Keys: ',
          h('kbd', {}, '1'),
          '–',
          h('kbd', {}, '8'),
          ' fire the events below · ',
          h('kbd', {}, 'Space'),
          ' pause/resume · ',
          h('kbd', {}, 'S'),
          ' start',
        ),
      ),
    ),
    banners.el,
    h(
      'div',
      { class: 'console-grid' },
      h(
        'div',
        { class: 'console-main' },
        h('section', { class: 'panel charts', 'aria-label': 'Class charts' }, demandChart.el, flowChart.el),
        h('section', { class: 'panel' }, h('h2', {}, '🏆 Leaderboard'), boardBox),
        h('section', { class: 'panel' }, h('h2', {}, '🧠 Strategies'), strategyBox),
      ),
      h(
        'div',
        { class: 'console-side' },
        h('section', { class: 'panel' }, h('h2', {}, '👥 Players'), lobbyList),
        h(
          'section',
          { class: 'panel events', 'aria-label': 'Events' },
          h('h2', {}, '⚡ Throw an event'),
          ...forms,
        ),
        h('section', { class: 'panel' }, h('h2', {}, '🗓️ Coming up (scenario)'), upcomingList),
        banners.timeline,
      ),
    ),
  );

  function say(text: string, ok: boolean): void {
    feedback.textContent = text;
    feedback.className = `console-feedback ${ok ? 'ok' : 'bad'}`;
  }

  async function send(action: TeacherAction, done: string): Promise<void> {
    const res = await sendCommand('teacher:action', action);
    if (res.ok) say(`✅ ${done}`, true);
    else say(`❌ ${res.error.message}`, false);
  }

  function togglePause(): void {
    if (!view || view.status !== 'running') return;
    void send(view.paused ? { type: 'resume' } : { type: 'pause' }, view.paused ? 'Resumed' : 'Paused');
  }

  const onKey = (ev: KeyboardEvent): void => {
    const t = ev.target as HTMLElement | null;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (ev.key === ' ' && t?.tagName !== 'BUTTON') {
      ev.preventDefault();
      togglePause();
      return;
    }
    if (ev.key === 's' || ev.key === 'S') {
      if (view?.status === 'lobby') void send({ type: 'start' }, 'Game started');
      return;
    }
    const i = EVENT_SPECS.findIndex((e) => e.key === ev.key);
    if (i >= 0) {
      ev.preventDefault();
      fire(EVENT_SPECS[i]!, forms[i]!);
    }
  };
  document.addEventListener('keydown', onKey);

  const history: ResultsHistory = {};
  let lastSecond = -1;
  let lastBoardKey = '';
  let flow = new ClassFlow();
  let lobbyKey = '';

  // A reloaded (or reconnected) console gets the class history from the server: the charts and the
  // per-player history start again from it, drawn by the same rules as live views, which then carry on.
  const onHistory = (hist: ClassHistory): void => {
    flow = new ClassFlow();
    for (const id of Object.keys(history)) delete history[id];
    for (const p of hist.players) history[p.id] = { name: p.name, samples: [...p.samples] };
    const cursor = hist.players.map(() => 0);
    hist.t.forEach((t, i) => {
      demandChart.push(t, [hist.demand[i]!, hist.capacity[i]!]);
      const rows: FlowRow[] = [];
      hist.players.forEach((p, k) => {
        const s = p.samples[cursor[k]!];
        if (!s || s[0] !== Math.floor(t)) return;
        cursor[k]!++;
        rows.push({ id: p.id, served: s[2], lost: { total: s[3] } });
      });
      const rates = flow.sample(t, rows);
      if (rates) flowChart.push(t, rates);
    });
    const last = hist.t[hist.t.length - 1];
    if (last !== undefined) lastSecond = Math.floor(last);
  };

  const onView = (v: ClassView): void => {
    view = v;
    showSaveTrouble(v.cantSave);
    const phase = v.phase ? ` · ${v.phase}` : '';
    setText(
      status,
      `${v.scenario.name} · ${v.status === 'lobby' ? 'in the lobby' : v.status === 'ended' ? 'ended' : v.paused ? '⏸ paused' : '▶ running'} · ⏱ ${clock(v.seconds)} / ${clock(v.durationSeconds)}${phase} · ${headcount(headcountOf(v.players))}${v.totals.playersAvailable === null ? '' : ` · ${v.totals.playersAvailable} open`}`,
    );
    startBtn.hidden = v.status !== 'lobby';
    pauseBtn.disabled = v.status !== 'running';
    pauseBtn.textContent = v.paused ? '▶ Resume' : '⏸ Pause';
    pauseBtn.setAttribute('aria-pressed', String(v.paused));
    endBtn.disabled = v.status === 'ended';
    lockBtn.textContent = v.locked ? '🔒 Room locked' : '🔓 Room open';
    lockBtn.setAttribute('aria-pressed', String(v.locked));
    // aria-pressed: "hide the scores" is on.
    scoresBtn.textContent = v.scoresHidden ? '🙈 Scores hidden' : '👀 Scores shown';
    scoresBtn.setAttribute('aria-pressed', String(v.scoresHidden));
    scoresBtn.disabled = v.status === 'ended';
    scheduleBtn.textContent = v.scheduleHidden ? '🤫 Schedule a surprise' : '⏭ Schedule shown';
    scheduleBtn.setAttribute('aria-pressed', String(v.scheduleHidden));
    scheduleBtn.disabled = v.status === 'ended';
    // After the end a speed or a lock changes nothing, though the server still says "✅ Speed x2".
    lockBtn.disabled = v.status === 'ended';
    for (const b of speedBtns) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.speed) === v.speed));
      b.disabled = v.status === 'ended';
    }
    banners.update(v.banners, classNow(v), v.tick);

    const key = JSON.stringify(v.players);
    if (key !== lobbyKey) {
      lobbyKey = key;
      lobbyList.replaceChildren(
        ...v.players
          .filter((p) => !p.removed)
          .map((p) =>
            h(
              'li',
              { 'data-player': p.name },
              h('span', { class: 'who' }, p.bot ? playerLabel(p) : `${PRESENCE_ICON[p.presence]} ${p.name}`),
              // A bot has no connection: its mark (in its name) says what it is.
              p.bot ? null : h('span', { class: 'conn-state' }, p.presence === 'gone' ? 'left' : p.presence),
              h(
                'button',
                {
                  class: 'link kick',
                  'aria-label': `Remove ${shownName(p)}`,
                  onclick: () => kick(p.id, shownName(p)),
                },
                'Remove',
              ),
            ),
          ),
      );
      if (lobbyList.children.length === 0)
        lobbyList.append(h('li', { class: 'empty' }, 'Nobody yet: share the code!'));
    }
    upcomingList.replaceChildren(
      ...(v.upcoming.length
        ? v.upcoming.map((u) => h('li', {}, h('strong', {}, clock(u.atSeconds)), ` ${u.text}`))
        : [h('li', { class: 'empty' }, 'Nothing scheduled.')]),
    );

    // The tables are redrawn once a game second while the game runs, and again on a pause: paused
    // mid-second, they kept that second's first numbers while the phones showed the paused moment.
    // The charts and the per-player history take a point a second.
    const sec = Math.floor(v.seconds);
    const boardKey = `${sec} ${v.paused ? v.tick : ''}`;
    if (boardKey !== lastBoardKey) {
      lastBoardKey = boardKey;
      boardBox.replaceChildren(scrollBox('Leaderboard table', leaderboardTable(v.leaderboard)));
      strategyBox.replaceChildren(scrollBox('Strategy table', strategyTable(v.strategies)));
    }
    if (sec !== lastSecond) {
      lastSecond = sec;
      if (v.status !== 'lobby') {
        // The teacher's view always has the class's sums (only the projector's may withhold them).
        if (v.totals.capacity !== null) demandChart.push(v.seconds, [v.totals.demand, v.totals.capacity]);
        const rates = flow.sample(v.seconds, v.leaderboard);
        if (rates) flowChart.push(v.seconds, rates);
        for (const r of v.leaderboard) {
          (history[r.id] ??= { name: r.name, samples: [] }).samples.push([
            sec,
            r.profit,
            r.served,
            r.lost.total,
          ]);
        }
      }
    }
  };

  function kick(id: string, name: string): void {
    if (window.confirm(`Remove ${name} from the game?`))
      void send({ type: 'kick', playerId: id }, `${name} removed`);
  }

  const onEnded = (res: FinalResults): void => {
    lastResults.set({ results: res, history, role: 'teacher', roomCode: session.roomCode });
    say('🏁 The game is over.', true);
    // Every resume of an ended room says so again (a reconnect, a failover, a resume sent again): one button.
    if (root.querySelector('[data-action="results"]')) return;
    root
      .querySelector('.console-controls')
      ?.append(
        h(
          'button',
          { class: 'primary big', 'data-action': 'results', onclick: () => navigate('/results') },
          '📊 Results, charts and CSV',
        ),
      );
  };

  const onClosed = (info: { message: string }): void => say(`❌ ${info.message}`, false);
  const unlisten = listen(s, {
    'class:history': onHistory,
    'view:class': onView,
    'room:closed': onClosed,
    'game:ended': onEnded,
  });
  // Back in the room on every (re)connect; a failover or a busy server is asked again until it answers
  // (net/keep-resumed.ts), only a room that is gone ends the console.
  const stop = keepResumed({
    event: 'teacher:resume',
    payload: () => ({ roomCode: session.roomCode, teacherToken: session.teacherToken }),
    s: gameSocket(),
    patienceMs: RESUME_PATIENCE_MS,
    timers: pageTimers,
    ok: () => undefined, // the class view that follows says where the game is
    waiting: (_code, message) => setText(status, `⏳ ${message} Reconnecting…`),
    gone: (code, message) => {
      setText(status, `❌ ${message}`);
      say('This room is gone or the token is no longer valid. Host a new game.', false);
      if (code === 'unknown-room' || code === 'bad-token' || code === 'invalid-payload')
        teacherSession.set(null);
    },
  });

  return () => {
    stop();
    unlisten();
    showSaveTrouble(undefined);
    document.removeEventListener('keydown', onKey);
    demandChart.destroy();
    flowChart.destroy();
  };
};
