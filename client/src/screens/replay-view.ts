import { classNameOf, endedEarly } from '../../../shared/sim/game-label.ts';
import type { Screen } from '../router.ts';
import type { GameLog } from '../../../shared/sim/game-log.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { fetchLog, openedFile } from '../replay/log-source.ts';
import { ReplayModel } from '../replay/replay-model.ts';
import { ReplayPlayback } from '../replay/replay-playback.ts';
import { RenderCadence } from '../replay/render-cadence.ts';
import { replayKeyAction } from '../replay/replay-keys.ts';
import { downloadText } from '../replay/downloads.ts';
import { h, setText } from '../ui/dom.ts';
import { ENDED_EARLY, clock } from '../ui/format.ts';
import { resultsCsv } from '../ui/results-csv.ts';
import { ReplayBoard } from './replay-board.ts';
import { debriefPanel } from './debrief.ts';
import { WhatIfPanel, type WhatIf } from './replay-whatif.ts';
import { ReplayControls } from './replay-controls.ts';
import { ReplayCharts } from './replay-charts.ts';
import { WatchedBusiness } from './replay-business.ts';

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

/**
 * The replay screen, put together from its parts: the player without a page (ReplayPlayback, with
 * RenderCadence and the keymap), and the views it drives: the controls, the watched business (and the
 * what-if's scene), the charts, the leaderboard, the debrief, the what-if panel and the exports.
 */
function replayView(root: HTMLElement, model: ReplayModel): () => void {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const player = new ReplayPlayback(model.log, model.endTick, firstWatched(model, query.get('player')));
  const cadence = new RenderCadence();
  let forkWhat: WhatIf | null = null;
  const scenario = model.log.header.scenario;

  const clockEl = h('span', { class: 'clock', 'data-testid': 'replay-clock' });
  const controls = new ReplayControls(model, player.selected, {
    togglePlay: () => setPlaying(!player.playing),
    seekBy: (ticks) => seekTo(player.tick + ticks),
    seekTo: (tick) => seekTo(tick),
    setSpeed: (speed) => (player.speed = speed),
    watch: (id) => selectPlayer(id),
  });
  const business = new WatchedBusiness(
    () => render(true),
    () => relayout(),
  );
  const charts = new ReplayCharts(model, (tick) => seekTo(tick));
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
        model.log.end && endedEarly(model.log.header, model.log.end.tick) ? ` · ${ENDED_EARLY}` : '',
      ),
      h('span', { class: 'room' }, model.label),
      clockEl,
      h('a', { href: '#/replay', class: 'button-link' }, '← Replays'),
    ),
    controls.el,
    business.bannerSlot,
    h(
      'div',
      { class: 'student-grid' },
      h('div', { class: 'scene-column' }, business.title, business.scenes, business.table.el),
      h('div', { class: 'side-column' }, business.hud.el),
    ),
    charts.el,
    board.el,
    debriefSlot,
    whatIf.el,
    exportsPanel(
      model,
      () => board.results,
      () => player.tick,
    ),
  );

  function render(force = false): void {
    const state = player.state;
    const tick = state.tick;
    const due = cadence.frame(performance.now(), tick, force);
    if (due.rewound) business.rewound();
    controls.showTick(tick);
    setText(
      clockEl,
      `⏱ ${clock(tick / TICKS_PER_SECOND)} / ${clock(model.endSeconds)}${state.status === 'ended' ? ' · game over' : ''}`,
    );
    if (due.view) {
      const v = player.view();
      if (v) business.show(v, player.playing);
      else business.showNotJoined(model.playerName(player.selected), tick / TICKS_PER_SECOND);
      const fv = forkWhat ? player.forkView() : null;
      if (fv) business.showFork(fv);
    }
    if (due.board) board.update(state);
    if (due.charts) {
      charts.setPlayhead(tick / TICKS_PER_SECOND);
      whatIf.setPlayhead(tick / TICKS_PER_SECOND);
    }
  }

  function seekTo(tick: number): void {
    player.seek(tick);
    render(true);
  }

  function setPlaying(on: boolean): void {
    player.setPlaying(on);
    controls.showPlaying(player.playing);
    render(true);
  }

  function selectPlayer(id: string): void {
    player.selected = id;
    controls.showWatched(id);
    board.setSelected(id);
    charts.watch(id);
    debriefSlot.replaceChildren(
      debriefPanel(model.log, id, model.series, { onWatch: (s) => seekTo(s * TICKS_PER_SECOND) }),
    );
    render(true);
  }

  function setFork(w: WhatIf | null): void {
    forkWhat = w;
    player.setFork(w);
    if (w && w.playerId !== player.selected) selectPlayer(w.playerId);
    root.classList.toggle('forked', w !== null);
    business.setFork(w && { atSeconds: w.atTick / TICKS_PER_SECOND });
    if (w) seekTo(Math.max(player.tick, w.atTick));
  }

  /**
   * pixi's resizeTo follows window resizes only: when the scenes' boxes change size (side by side on and
   * off), tell it, then lay the scenes out again once it has resized.
   */
  function relayout(): void {
    window.dispatchEvent(new Event('resize'));
    requestAnimationFrame(() => requestAnimationFrame(() => !business.isClosed && render(true)));
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
    if (!player.playing) controls.showPlaying(false);
    render();
  };
  raf = requestAnimationFrame(frame);

  const onKey = (e: KeyboardEvent): void => {
    const t = e.target as HTMLElement | null;
    const action = replayKeyAction({
      key: e.key,
      shift: e.shiftKey,
      modified: e.altKey || e.ctrlKey || e.metaKey,
      tag: t?.tagName ?? '',
      inputType: t instanceof HTMLInputElement ? t.type : undefined,
    });
    if (!action) return;
    // Space and the arrows would also scroll the page.
    if (action.type === 'toggle-play' || e.key.startsWith('Arrow')) e.preventDefault();
    if (action.type === 'toggle-play') setPlaying(!player.playing);
    else if (action.type === 'seek-by') seekTo(player.tick + action.ticks);
    else seekTo(action.where === 'start' ? 0 : model.endTick);
  };
  root.addEventListener('keydown', onKey);

  window.__replay = { tick: () => player.tick, endTick: model.endTick, playing: () => player.playing };
  selectPlayer(player.selected);
  board.update(player.state);

  return () => {
    cancelAnimationFrame(raf);
    root.removeEventListener('keydown', onKey);
    charts.destroy();
    whatIf.destroy();
    business.destroy();
    window.__replay = undefined;
  };
}

/** Whom the replay watches first: the one the link names, else the first student, else anyone. */
function firstWatched(model: ReplayModel, wanted: string | null): string {
  const humans = model.players.filter((p) => !p.bot && !p.removed);
  return model.players.find((p) => p.id === wanted)?.id ?? humans[0]?.id ?? model.players[0]?.id ?? '';
}

/** The exports: the results at this moment as CSV, the log as JSON, and whether the replay reproduces it. */
function exportsPanel(
  model: ReplayModel,
  results: () => ReplayBoard['results'],
  tick: () => number,
): HTMLElement {
  const csvBtn = h('button', { class: 'secondary', 'data-action': 'csv' }, '⬇️ Results CSV');
  const jsonBtn = h('button', { class: 'secondary', 'data-action': 'log-json' }, '⬇️ Game log JSON');
  csvBtn.addEventListener('click', () => {
    const r = results();
    if (r)
      downloadText(resultsCsv(r), `lemonscale-${model.gameId}-at-${tick()}.csv`, 'text/csv;charset=utf-8');
  });
  jsonBtn.addEventListener('click', () =>
    downloadText(
      JSON.stringify(model.log, null, 1),
      `lemonscale-${model.log.header.scenario.id}-${model.gameId}.json`,
      'application/json',
    ),
  );
  const hashNote =
    model.hashMatches === null
      ? 'The game was still running when this log was saved: the replay ends where the log does.'
      : model.hashMatches
        ? `✔ The replay reproduces the recorded game exactly (check hash ${model.hash}).`
        : `⚠ This replay ends with check hash ${model.hash}, but the game as played ended with ${model.log.end!.hash}: ` +
          `the log does not reproduce its game (a damaged or edited log, or one from another Lemonscale version).`;
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, '⬇️ Exports'),
    h('p', { class: 'button-row' }, csvBtn, jsonBtn),
    h('p', { class: 'hint', 'data-testid': 'replay-hash' }, hashNote),
  );
}
