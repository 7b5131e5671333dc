import { classNameOf, endedEarly } from '../../../shared/sim/game-label.ts';
import type { Screen } from '../router.ts';
import type { GameLog } from '../../../shared/sim/game-log.ts';
import type { StudentView } from '../../../shared/protocol/views.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { fetchLog, openedFile } from '../replay/log-source.ts';
import { ReplayModel } from '../replay/replay-model.ts';
import { ReplayPlayback } from '../replay/replay-playback.ts';
import { ReplayChart } from '../replay/replay-chart.ts';
import { downloadText } from '../replay/downloads.ts';
import type { BusinessScene } from '../render/business-scene.ts';
import { studentNow } from '../ui/now-facts.ts';
import { BannerStrip } from '../ui/banner-strip.ts';
import { h, setText } from '../ui/dom.ts';
import { clock, money, rate } from '../ui/format.ts';
import { Hud } from '../ui/hud.ts';
import { StandTable } from '../ui/stand-table.ts';
import { resultsCsv } from '../ui/results-csv.ts';
import { ReplayBoard } from './replay-board.ts';
import { ReplayTimeline } from './replay-timeline.ts';
import { debriefPanel } from './debrief.ts';
import { WhatIfPanel, type WhatIf } from './replay-whatif.ts';
import { SERIES_COLOURS } from '../ui/theme.ts';

const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32];

declare global {
  interface Window {
    /** Read by the browser tests: the replay's position and whether it is playing. */
    __replay?: { tick: () => number; endTick: number; playing: () => boolean };
  }
}

/** /replay/:id (a game on the server) and /replay/file (a log opened from a file). */
export const replayGameScreen: Screen = (root, params) => {
  root.className = 'replay';
  const status = h('div', { class: 'notice', role: 'status' }, 'Loading the game log…');
  root.append(status);
  let cleanup: (() => void) | null = null;
  let gone = false;
  const fail = (errors: string[]): void => {
    status.remove();
    root.append(
      h(
        'div',
        { class: 'card', role: 'alert', 'data-testid': 'replay-error' },
        h('h1', {}, 'This game cannot be replayed'),
        h('ul', {}, ...errors.slice(0, 8).map((e) => h('li', {}, e))),
        h('a', { href: '#/replay', class: 'button-link' }, '← Replays'),
      ),
    );
  };
  const start = (log: GameLog, label: string, gameId: string): void => {
    setText(status, '⏳ Playing the game again in this page…');
    // Let the message paint before the (up to a second of) simulation.
    window.setTimeout(() => {
      if (gone) return;
      let model: ReplayModel;
      try {
        model = new ReplayModel(log, label, gameId);
      } catch (err) {
        fail([`The log is damaged: ${err instanceof Error ? err.message : String(err)}`]);
        return;
      }
      status.remove();
      cleanup = replayView(root, model);
    }, 30);
  };
  if (params.id === 'file') {
    const f = openedFile.get();
    if (!f) fail(['A log opened from a file is kept only until the page reloads: open it again.']);
    else start(f.log, f.name, String(f.log.header.settings.gameId ?? 'file'));
  } else {
    const id = params.id!;
    void fetchLog(id).then((r) => {
      if (gone) return;
      if (r.ok) start(r.log, `game ${id}`, id);
      else fail(r.errors);
    });
  }
  return () => {
    gone = true;
    cleanup?.();
  };
};

function replayView(root: HTMLElement, model: ReplayModel): () => void {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const humans = model.players.filter((p) => !p.bot && !p.removed);
  const player = new ReplayPlayback(
    model.log,
    model.endTick,
    model.players.find((p) => p.id === query.get('player'))?.id ??
      humans[0]?.id ??
      model.players[0]?.id ??
      '',
  );
  let forkWhat: WhatIf | null = null;

  // --- header and controls ---
  const scenario = model.log.header.scenario;
  const clockEl = h('span', { class: 'clock', 'data-testid': 'replay-clock' });
  const playBtn = h(
    'button',
    { class: 'primary big', 'data-action': 'play', 'aria-pressed': 'false' },
    '▶ Play',
  );
  const speedSel = h(
    'select',
    { id: 'replay-speed', 'data-testid': 'replay-speed' },
    ...SPEEDS.map((s) => h('option', { value: s, selected: s === 1 }, `x${s}`)),
  );
  const playerSel = h(
    'select',
    { id: 'replay-player', 'data-testid': 'replay-player' },
    ...model.players.map((p) =>
      h(
        'option',
        { value: p.id, selected: p.id === player.selected },
        `${p.name}${p.bot ? ' 🤖 bot' : ''}${p.removed ? ' (removed)' : ''}`,
      ),
    ),
  );
  const stepBtn = (label: string, aria: string, ticks: number): HTMLButtonElement =>
    h(
      'button',
      { class: 'secondary', 'aria-label': aria, onclick: () => seekTo(player.tick + ticks) },
      label,
    );
  const timeline = new ReplayTimeline(model.marks, model.endTick, (t) => seekTo(t));
  timeline.setPlayer(player.selected);
  const csvBtn = h('button', { class: 'secondary', 'data-action': 'csv' }, '⬇️ Results CSV');
  const jsonBtn = h('button', { class: 'secondary', 'data-action': 'log-json' }, '⬇️ Game log JSON');
  const hashNote =
    model.hashMatches === null
      ? 'The game was still running when this log was saved: the replay ends where the log does.'
      : model.hashMatches
        ? `✔ The replay reproduces the recorded game exactly (check hash ${model.hash}).`
        : `⚠ This replay ends with check hash ${model.hash}, but the game as played ended with ${model.log.end!.hash}: ` +
          `the log does not reproduce its game (a damaged or edited log, or one from another Lemonscale version).`;

  // --- the watched business: the same scene, HUD and tables as a student's screen ---
  const hud = new Hud();
  let banners = new BannerStrip();
  const bannerSlot = h('div', {}, banners.el);
  const table = new StandTable();
  const title = h('h2', { class: 'biz-name', 'data-testid': 'replay-biz' });
  const summary = h('p', { class: 'scene-text', 'aria-live': 'polite', 'data-testid': 'replay-summary' });
  const sceneHost = h('div', { class: 'scene', 'data-testid': 'scene' });
  const forkHost = h('div', { class: 'scene', 'data-testid': 'fork-scene' });
  const forkTitle = h('h3', { class: 'scene-label' }, 'What-if');
  const forkSummary = h('p', { class: 'scene-text', 'data-testid': 'fork-summary' });
  const forkBox = h('div', { class: 'fork-column', hidden: true }, forkTitle, forkHost, forkSummary);
  const mainLabel = h('h3', { class: 'scene-label', hidden: true }, 'As played');
  const scenes = h(
    'div',
    { class: 'replay-scenes' },
    h('div', { class: 'main-column' }, mainLabel, sceneHost, summary),
    forkBox,
  );

  // --- charts of the watched player over the whole game ---
  const chartBox = h('section', {
    class: 'panel charts replay-charts',
    'aria-label': 'Charts of the watched player',
  });
  let charts: ReplayChart[] = [];
  const debriefSlot = h('div', {});
  const board = new ReplayBoard(model.gameId, model.hash, (id) => selectPlayer(id));
  const whatIf = new WhatIfPanel(
    model,
    () => ({
      tick: player.tick,
      playerId: player.selected,
      state: player.state,
      stateBefore: (tick) => player.session.stateBefore(tick),
    }),
    (w) => setFork(w),
    (s) => seekTo(s * TICKS_PER_SECOND),
  );

  root.append(
    h(
      'header',
      { class: 'topbar' },
      h(
        'h1',
        {},
        `🎞️ Replay: ${scenario.name}`,
        classNameOf(model.log.header) ? ` · ${classNameOf(model.log.header)}` : '',
        model.log.end && endedEarly(model.log.header, model.log.end.tick) ? ' (ended early)' : '',
      ),
      h('span', { class: 'room' }, model.label),
      clockEl,
      h('a', { href: '#/replay', class: 'button-link' }, '← Replays'),
    ),
    h(
      'section',
      { class: 'panel replay-controls', 'aria-label': 'Replay controls' },
      h(
        'div',
        { class: 'button-row' },
        playBtn,
        stepBtn('⏮', 'Back to the start', -model.endTick),
        stepBtn('−10 s', 'Back 10 seconds', -10 * TICKS_PER_SECOND),
        stepBtn('−1 s', 'Back 1 second', -TICKS_PER_SECOND),
        stepBtn('+1 s', 'Forward 1 second', TICKS_PER_SECOND),
        stepBtn('+10 s', 'Forward 10 seconds', 10 * TICKS_PER_SECOND),
        stepBtn('⏭', 'To the end', model.endTick),
        h('label', { for: 'replay-speed' }, 'Speed '),
        speedSel,
        h('label', { for: 'replay-player' }, 'Watch '),
        playerSel,
      ),
      timeline.el,
      h(
        'p',
        { class: 'hint' },
        'Keys: ',
        h('kbd', {}, 'Space'),
        ' play/pause · ',
        h('kbd', {}, '←'),
        h('kbd', {}, '→'),
        ' 1 s (',
        h('kbd', {}, 'Shift'),
        ' 10 s) · ',
        h('kbd', {}, ','),
        h('kbd', {}, '.'),
        ' one tick · ',
        h('kbd', {}, 'Home'),
        h('kbd', {}, 'End'),
      ),
    ),
    bannerSlot,
    h(
      'div',
      { class: 'student-grid' },
      h('div', { class: 'scene-column' }, title, scenes, table.el),
      h('div', { class: 'side-column' }, hud.el),
    ),
    chartBox,
    board.el,
    debriefSlot,
    whatIf.el,
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '⬇️ Exports'),
      h('p', { class: 'button-row' }, csvBtn, jsonBtn),
      h('p', { class: 'hint', 'data-testid': 'replay-hash' }, hashNote),
    ),
  );

  // --- scenes (pixi, loaded on demand like the student screen) ---
  let scene: BusinessScene | null = null;
  let forkScene: BusinessScene | null = null;
  let mainHook: Window['__lemonscale'];
  let closed = false;
  const sceneModule = import('../render/business-scene.ts');
  void sceneModule
    .then((m) => m.BusinessScene.create(sceneHost))
    .then((s) => {
      if (closed) return s.destroy();
      scene = s;
      mainHook = window.__lemonscale;
      render(true);
    })
    .catch((err: unknown) => {
      sceneHost.append(
        h(
          'p',
          { class: 'scene-error' },
          `The picture could not start (${String(err)}). The tables still work.`,
        ),
      );
    });

  // --- drawing ---
  let lastViewAt = 0;
  let lastBoardAt = 0;
  let lastChartAt = 0;
  let lastTick = -1;
  let lastSummary = '';

  function describe(v: StudentView): string {
    const open = v.me.stands.filter((s) => s.status === 'open').length;
    const broken = v.me.stands.filter((s) => s.status === 'failed').length;
    const line = v.me.stands.reduce((n, s) => n + s.line, 0);
    return (
      `${v.me.name} at ${clock(v.seconds)}: ${v.me.stands.length} stand${v.me.stands.length === 1 ? '' : 's'} (${open} open${broken ? `, ${broken} broken` : ''}), ` +
      `${v.me.loadBalancers.length} load balancer${v.me.loadBalancers.length === 1 ? '' : 's'}, ` +
      `${v.me.notebook ? 'notebook' : 'no notebook'}; ${line} in line; capacity ${rate(v.me.capacity)} cups/s for ${rate(v.demand)} customers/s; ` +
      `${v.me.available ? 'open for business' : 'DOWN: nobody can be served'}; profit ${money(v.me.results.profit)}.`
    );
  }

  function render(force = false): void {
    const now = performance.now();
    const state = player.state;
    const tick = state.tick;
    const moved = tick !== lastTick;
    if (moved && tick < lastTick) {
      // Going back: banners already shown must be able to show again.
      banners = new BannerStrip();
      bannerSlot.replaceChildren(banners.el);
    }
    lastTick = tick;
    timeline.update(tick);
    setText(
      clockEl,
      `⏱ ${clock(tick / TICKS_PER_SECOND)} / ${clock(model.endSeconds)}${state.status === 'ended' ? ' · game over' : ''}`,
    );
    if (force || (moved && now - lastViewAt > 66)) {
      lastViewAt = now;
      const v = player.view();
      if (v) {
        scene?.update(v);
        hud.update(v);
        banners.update(v.banners, studentNow(v), v.tick);
        table.update(v);
        setText(title, `🍋 ${v.me.name}'s Lemonade${v.rank ? ` · #${v.rank} of ${v.players}` : ''}`);
        const text = describe(v);
        // The text mirror changes every frame while playing; a listener hears it when paused.
        if (!player.playing || text.split(';')[0] !== lastSummary.split(';')[0]) summary.textContent = text;
        lastSummary = text;
      } else {
        setText(
          title,
          `🍋 ${model.playerName(player.selected)} has not joined yet at ${clock(tick / TICKS_PER_SECOND)}`,
        );
        setText(summary, `${model.playerName(player.selected)} has not joined yet.`);
      }
      if (forkWhat) {
        const fv = player.forkView();
        if (fv) {
          forkScene?.update(fv);
          setText(forkSummary, describe(fv));
        }
      }
    }
    if (force || (moved && now - lastBoardAt > 1000)) {
      lastBoardAt = now;
      board.update(state);
    }
    if (force || now - lastChartAt > 250) {
      lastChartAt = now;
      for (const c of charts) c.setPlayhead(tick / TICKS_PER_SECOND);
      whatIf.setPlayhead(tick / TICKS_PER_SECOND);
    }
  }

  function seekTo(tick: number): void {
    player.seek(tick);
    render(true);
  }

  function setPlaying(on: boolean): void {
    player.setPlaying(on);
    showPlaying();
    render(true);
  }

  function showPlaying(): void {
    playBtn.textContent = player.playing ? '⏸ Pause' : '▶ Play';
    playBtn.setAttribute('aria-pressed', String(player.playing));
  }

  function selectPlayer(id: string): void {
    player.selected = id;
    playerSel.value = id;
    timeline.setPlayer(id);
    board.setSelected(id);
    buildCharts();
    buildDebrief();
    render(true);
  }

  function buildCharts(): void {
    for (const c of charts) c.destroy();
    charts = [];
    const p = model.series.players.find((x) => x.id === player.selected);
    if (!p) return;
    const t = model.series.t;
    const start = scenario.startingCash;
    const onSeek = (s: number): void => seekTo(s * TICKS_PER_SECOND);
    const defs: [string, string, { label: string; stroke: string; dash?: number[] }[], number[][]][] = [
      [
        'Profit',
        'dollars',
        [{ label: 'profit', stroke: SERIES_COLOURS.profit }],
        [p.cash.map((c) => Math.round(c - start))],
      ],
      [
        'Served and lost',
        'customers',
        [
          { label: 'served', stroke: SERIES_COLOURS.served },
          { label: 'lost', stroke: SERIES_COLOURS.lost, dash: [8, 4] },
        ],
        [p.served, p.lost],
      ],
      [
        'Demand and capacity',
        'per second',
        [
          { label: 'customers/s', stroke: SERIES_COLOURS.demand },
          { label: 'capacity cups/s', stroke: SERIES_COLOURS.capacity, dash: [8, 4] },
        ],
        [model.series.demand, p.capacity],
      ],
      ['People in line', 'people', [{ label: 'in line', stroke: SERIES_COLOURS.line }], [p.line]],
    ];
    for (const [name, y, spec, ys] of defs) {
      const c = new ReplayChart(`${name}: ${p.name}`, spec, [t, ...ys], { yLabel: y, onSeek });
      charts.push(c);
      chartBox.append(c.el);
    }
  }

  function buildDebrief(): void {
    debriefSlot.replaceChildren(
      debriefPanel(model.log, player.selected, model.series, {
        onWatch: (s) => seekTo(s * TICKS_PER_SECOND),
      }),
    );
  }

  function setFork(w: WhatIf | null): void {
    forkScene?.destroy();
    forkScene = null;
    window.__lemonscale = mainHook;
    forkWhat = null;
    player.setFork(null);
    forkBox.hidden = true;
    mainLabel.hidden = true;
    root.classList.remove('forked');
    relayout();
    if (!w) return;
    forkWhat = w;
    player.setFork(w);
    if (w.playerId !== player.selected) selectPlayer(w.playerId);
    forkBox.hidden = false;
    mainLabel.hidden = false;
    root.classList.add('forked');
    relayout();
    setText(forkTitle, `What-if (forked at ${clock(w.atTick / TICKS_PER_SECOND)})`);
    void sceneModule
      .then((m) => m.BusinessScene.create(forkHost))
      .then((s) => {
        // The tests' hook stays on the main scene.
        window.__lemonscale = mainHook;
        if (closed || forkWhat !== w) return s.destroy();
        forkScene = s;
        relayout();
      })
      .catch(() => forkHost.append(h('p', { class: 'scene-error' }, 'The second picture could not start.')));
    seekTo(Math.max(player.tick, w.atTick));
  }

  /**
   * pixi's resizeTo follows window resizes only: when the scenes' boxes change size (side by side on and
   * off), tell it, then lay the scenes out again once it has resized.
   */
  function relayout(): void {
    window.dispatchEvent(new Event('resize'));
    requestAnimationFrame(() => requestAnimationFrame(() => !closed && render(true)));
  }

  // --- playback loop ---
  let raf = 0;
  let lastFrame = performance.now();
  const frame = (now: number): void => {
    raf = requestAnimationFrame(frame);
    const dt = Math.min(0.25, (now - lastFrame) / 1000);
    lastFrame = now;
    if (!player.playing) return;
    player.advance(dt);
    if (!player.playing) showPlaying();
    render();
  };
  raf = requestAnimationFrame(frame);

  // --- inputs ---
  playBtn.addEventListener('click', () => setPlaying(!player.playing));
  speedSel.addEventListener('change', () => (player.speed = Number(speedSel.value) || 1));
  playerSel.addEventListener('change', () => selectPlayer(playerSel.value));
  csvBtn.addEventListener('click', () => {
    const r = board.results;
    if (r)
      downloadText(
        resultsCsv(r),
        `lemonscale-${model.gameId}-at-${player.tick}.csv`,
        'text/csv;charset=utf-8',
      );
  });
  jsonBtn.addEventListener('click', () =>
    downloadText(
      JSON.stringify(model.log, null, 1),
      `lemonscale-${scenario.id}-${model.gameId}.json`,
      'application/json',
    ),
  );
  const onKey = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement | null;
    const tag = t?.tagName ?? '';
    const typing =
      tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && (t as HTMLInputElement).type !== 'range');
    if (typing) return;
    const onRange = tag === 'INPUT';
    const step = (e.shiftKey ? 10 : 1) * TICKS_PER_SECOND;
    if (e.key === ' ' && tag !== 'BUTTON') {
      e.preventDefault();
      setPlaying(!player.playing);
    } else if (!onRange && e.key === 'ArrowRight') {
      e.preventDefault();
      seekTo(player.tick + step);
    } else if (!onRange && e.key === 'ArrowLeft') {
      e.preventDefault();
      seekTo(player.tick - step);
    } else if (e.key === '.') seekTo(player.tick + 1);
    else if (e.key === ',') seekTo(player.tick - 1);
    else if (!onRange && e.key === 'Home') seekTo(0);
    else if (!onRange && e.key === 'End') seekTo(model.endTick);
  };
  root.addEventListener('keydown', onKey);

  window.__replay = { tick: () => player.tick, endTick: model.endTick, playing: () => player.playing };
  selectPlayer(player.selected);
  board.update(player.state);

  return () => {
    closed = true;
    cancelAnimationFrame(raf);
    root.removeEventListener('keydown', onKey);
    for (const c of charts) c.destroy();
    whatIf.destroy();
    forkScene?.destroy();
    window.__lemonscale = mainHook;
    scene?.destroy();
    window.__replay = undefined;
  };
}
