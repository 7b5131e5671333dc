import type { FinalResults, StudentView } from '../../../shared/protocol/views.ts';
import { LB_MODES, LB_POLICIES } from '../../../shared/sim/commands.ts';
import type { StudentLink } from '../net/student-link.ts';
import { lastResults, type ResultsHistory } from '../net/session-store.ts';
import { BannerStrip } from '../ui/banner-strip.ts';
import { h, setText } from '../ui/dom.ts';
import { ENDED_EARLY_NOTE, clock, joinedCount, money, rate, strategyText } from '../ui/format.ts';
import { placeText } from '../ui/rank-text.ts';
import { placeIn } from '../../../shared/views/rank-sharing.ts';
import { Hud } from '../ui/hud.ts';
import { ShopPanel } from '../ui/shop-panel.ts';
import { PaneTabs } from '../ui/pane-tabs.ts';
import { RESULT_METRICS } from '../../../shared/views/result-metrics.ts';
import { studentNow } from '../ui/now-facts.ts';
import { StandTable } from '../ui/stand-table.ts';
import { navigate } from '../router.ts';
import { friendlyError } from '../ui/error-message.ts';
import type { BusinessScene } from '../render/business-scene.ts';
import { showSaveTrouble } from '../ui/save-banner.ts';

export interface BusinessScreenOptions {
  roomCode: string;
  /** The student confirmed Leave. */
  onLeave: () => void;
  /** What "Leave" asks first (what happens to the business). */
  leaveQuestion: string;
  /** The server says the player is gone for good (removed, the room closed), and why. */
  onGone: (reason: string) => void;
  /** The code that takes this business back on another device (shown on the Details pane). */
  rejoinCode?: string;
}

/**
 * The student's screen: the pixi scene of their business, the HUD, the shop, event banners, and the
 * final results. It only draws the views the link delivers and sends the actions the student picks.
 */
export function businessScreen(
  root: HTMLElement,
  link: StudentLink,
  opts: BusinessScreenOptions,
): () => void {
  root.className = 'student';
  const hud = new Hud();
  const banners = new BannerStrip();
  const table = new StandTable({ livePause: true });
  const shop = new ShopPanel(async (action) => {
    const res = await link.act(action);
    return res.ok ? null : friendlyError(res.error);
  });
  const title = h('h1', { class: 'biz-name' }, '🍋 Lemonscale');
  const clockEl = h('span', { class: 'clock', 'data-testid': 'clock' });
  const rankEl = h('span', { class: 'rank', 'data-testid': 'rank' });
  // In the lobby: how many have joined so far (a count streamed as classmates join; never their names).
  const lobbyCount = h('span', { class: 'rank', 'data-testid': 'lobby-count', hidden: true });
  const notice = h('div', { class: 'notice', role: 'status' }, 'Connecting…');
  const awayNote = h('div', {
    class: 'away-note',
    role: 'status',
    'data-testid': 'away-note',
    hidden: true,
  });
  const summary = h('p', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'scene-summary' });
  const sceneHost = h('div', { class: 'scene', 'data-testid': 'scene' });
  // The fail whale Twitter showed when it was over capacity: drawn whenever a spike is more than the
  // business can serve (the Fail Whale scenario promises it; every scenario's surges can earn it).
  const whale = h(
    'div',
    { class: 'fail-whale', 'data-testid': 'fail-whale', hidden: true },
    h('span', { class: 'fail-whale-art', 'aria-hidden': 'true' }, '🐳'),
    h('span', {}, 'Fail whale: over capacity!'),
  );
  sceneHost.append(whale);
  const controls = h('section', {
    class: 'panel lb-controls',
    hidden: true,
    'aria-label': 'Load balancer settings',
  });
  const finalPanel = h('section', {
    class: 'final',
    hidden: true,
    'aria-labelledby': 'final-title',
    tabindex: '-1',
  });

  // Leaving is a big step on a phone (one stray tap): ask first.
  function confirmLeave(): void {
    if (window.confirm(opts.leaveQuestion)) opts.onLeave();
  }

  // On a phone one pane shows at a time (the CSS decides when); on a laptop everything does.
  const tabs = new PaneTabs(root, [
    { id: 'play', label: '🍋 Business' },
    { id: 'shop', label: '🛒 Shop' },
    { id: 'stands', label: '📋 Details' },
  ]);
  const shopCash = h('p', { class: 'shop-cash', 'data-testid': 'shop-cash' });

  const policy = h('select', { id: 'lb-policy' }, ...LB_POLICIES.map((p) => h('option', { value: p }, p)));
  const mode = h('select', { id: 'lb-mode' }, ...LB_MODES.map((m) => h('option', { value: m }, m)));
  const modeRow = h('p', {}, h('label', { for: 'lb-mode' }, 'Two balancers: '), mode);
  controls.append(
    h('h2', {}, '⚖️ Load balancer'),
    h('p', {}, h('label', { for: 'lb-policy' }, 'Send customers by: '), policy),
    modeRow,
  );
  policy.addEventListener(
    'change',
    () => void link.act({ type: 'set-policy', policy: policy.value as never }),
  );
  mode.addEventListener('change', () => void link.act({ type: 'set-lb-mode', mode: mode.value as never }));

  root.append(
    h(
      'header',
      { class: 'topbar' },
      title,
      h('span', { class: 'room' }, `Room ${opts.roomCode}`),
      clockEl,
      rankEl,
      lobbyCount,
      h('button', { class: 'link', 'data-action': 'leave', onclick: confirmLeave }, 'Leave'),
    ),
    notice,
    awayNote,
    banners.el,
    h(
      'div',
      { class: 'student-grid' },
      h('div', { class: 'scene-column', 'data-pane': 'play' }, sceneHost, summary),
      h('div', { class: 'hud-column', 'data-pane': 'play' }, hud.el),
      h('div', { class: 'side-column', 'data-pane': 'shop' }, shopCash, controls, shop.el),
      h(
        'div',
        { class: 'table-column', 'data-pane': 'stands' },
        table.el,
        banners.timeline,
        opts.rejoinCode ? rejoinPanel(opts.rejoinCode) : null,
      ),
    ),
    tabs.el,
    finalPanel,
  );

  let scene: BusinessScene | null = null;
  let pending: StudentView | null = null;
  let closed = false;
  // The picture starts once the first view is on screen, not with the page: starting pixi (WebGL, in
  // software where there is no GPU) can hold the main thread for seconds, and a view that came in
  // meanwhile waited behind it with "Connecting…" on screen (a returning student's page, 5-16 s on a
  // busy machine: docs/performance.md, "A returning student's resume").
  let sceneStarted = false;
  let resolveSceneSettled!: () => void;
  /** Settles once the picture is up or could not start (what the away note's time on screen waits for). */
  const sceneSettled = new Promise<void>((resolve) => (resolveSceneSettled = resolve));
  const startScene = (): void => {
    if (sceneStarted) return;
    sceneStarted = true;
    // After the frame that paints the first view (a requestAnimationFrame callback runs before it).
    requestAnimationFrame(() => window.setTimeout(loadScene, 0));
  };
  const loadScene = (): void => {
    if (closed) return resolveSceneSettled();
    void import('../render/business-scene.ts')
      .then((m) => m.BusinessScene.create(sceneHost))
      .then((s) => {
        if (closed) return s.destroy();
        scene = s;
        if (pending) s.update(pending);
      })
      .catch((err: unknown) => {
        sceneHost.append(
          h(
            'p',
            { class: 'scene-error' },
            `The picture could not start (${String(err)}). The tables below still work.`,
          ),
        );
      })
      .finally(resolveSceneSettled);
  };

  const history: ResultsHistory = {};
  let lastSample = -1;
  let lastSummary = '';
  let lastView: StudentView | null = null;

  link.onView((v) => {
    lastView = v;
    pending = v;
    showSaveTrouble(v.cantSave);
    scene?.update(v);
    hud.update(v);
    setText(shopCash, `💰 Cash ${money(v.me.cash)} · 📈 profit ${money(v.me.results.profit)}`);
    shop.update(v.shop);
    if (v.status === 'ended') shop.gameOver();
    banners.update(v.banners, studentNow(v), v.tick);
    table.update(v);
    setText(title, `🍋 ${v.me.name}'s Lemonade`);
    startScene();
    setText(
      clockEl,
      `⏱ ${clock(v.seconds)} / ${clock(v.durationSeconds)}${v.phase ? ` · ${v.phase}` : ''}${v.speed !== 1 ? ` · x${v.speed}` : ''}`,
    );
    // No rank in the lobby (everyone has the same cash): how many have joined instead, from the stream.
    // Equal profits share a rank: "#2 of 30 (tied)", "#1 of 30 (all tied)" at the start.
    setText(rankEl, v.place === null || v.status === 'lobby' ? '' : `🏆 ${placeText(v.place, true)}`);
    lobbyCount.hidden = v.status !== 'lobby';
    setText(lobbyCount, `👥 ${joinedCount(v.players)}`);
    const note =
      v.status === 'lobby'
        ? '⏳ Waiting for the teacher to start the game… Look at the shop meanwhile!'
        : v.status === 'ended'
          ? '🏁 Game over'
          : v.paused
            ? '⏸ Paused by the teacher'
            : '';
    setText(notice, note);
    notice.hidden = note === '';
    whale.hidden = !(v.status === 'running' && v.surge > 1 && v.me.capacity < v.demand);
    controls.hidden = v.me.loadBalancers.length === 0;
    modeRow.hidden = v.me.loadBalancers.length < 2;
    if (document.activeElement !== policy) policy.value = v.me.lbPolicy;
    if (document.activeElement !== mode) mode.value = v.me.lbMode;
    // A calm spoken summary: only when something a listener cares about changed.
    const open = v.me.stands.filter((s) => s.status === 'open').length;
    const text = `${v.me.stands.length} stand${v.me.stands.length === 1 ? '' : 's'}, ${open} open. Capacity ${rate(v.me.capacity)} cups a second for ${rate(v.demand)} customers a second. ${v.me.available ? 'Open for business.' : 'Closed: nobody can be served.'}`;
    if (text !== lastSummary) {
      lastSummary = text;
      summary.textContent = text;
    }
    if (Math.floor(v.seconds) !== lastSample && v.status === 'running') {
      lastSample = Math.floor(v.seconds);
      const r = v.me.results;
      (history[r.id] ??= { name: r.name, samples: [] }).samples.push([
        lastSample,
        r.profit,
        r.served,
        r.lost.total,
      ]);
    }
  });

  link.onEnded((res) => showFinal(res));
  link.onAway((away) => {
    awayNote.textContent = `👋 ${away.text}`;
    awayNote.hidden = false;
    // 20 s on screen counted from when the picture is up: its start can freeze the page for seconds
    // just after a return, and a timer started now would spend them with the note unseen.
    void sceneSettled.then(() => window.setTimeout(() => (awayNote.hidden = true), 20_000));
  });
  link.onGone((reason) => {
    notice.hidden = false;
    notice.textContent = `🚪 ${reason}`;
    window.setTimeout(() => opts.onGone(reason), 2500);
  });

  function showFinal(res: FinalResults): void {
    shop.gameOver();
    lastResults.set({ results: res, history, role: 'student', roomCode: opts.roomCode });
    const me = res.me ?? res.leaderboard.find((r) => r.id === lastView?.me.id);
    finalPanel.hidden = false;
    finalPanel.replaceChildren(
      h('h2', { id: 'final-title' }, '🏁 Game over!'),
      ...(res.endedEarly
        ? [h('p', { class: 'ended-early', 'data-testid': 'ended-early' }, ENDED_EARLY_NOTE)]
        : []),
      me
        ? h(
            'div',
            { class: 'final-body' },
            h(
              'p',
              { class: 'final-rank', 'data-testid': 'final-rank' },
              `You finished ${placeText(placeIn(res.leaderboard, me.rank))}`,
            ),
            h('p', { class: 'final-strategy' }, `Your strategy: ${strategyText(me.strategy, me.badges)}`),
            h('dl', { class: 'final-stats' }, ...RESULT_METRICS.flatMap((m) => stat(m.label, m.text(me)))),
          )
        : h('p', {}, 'The game has ended.'),
      h('button', { class: 'primary', onclick: () => navigate('/results') }, 'See the class results 📊'),
    );
    finalPanel.focus();
    // The debrief of this business: sent with the results, or replayed from the server's log (not in
    // practice: no log there).
    if (me && res.gameId !== 'practice') {
      void import('./debrief-final.ts')
        .then((m) => m.studentDebrief(res.gameId, me.id, me.name, res.debrief))
        .then((panel) => {
          if (panel && !closed) finalPanel.append(panel);
        })
        .catch(() => {});
    }
  }

  return () => {
    closed = true;
    showSaveTrouble(undefined);
    link.close();
    scene?.destroy();
  };
}

function stat(label: string, value: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

/**
 * The rejoin code: with the room code it takes this business back on any device (a lost phone, a
 * borrowed laptop). Shown in groups of four so it can be read out and typed.
 */
function rejoinPanel(code: string): HTMLElement {
  return h(
    'section',
    { class: 'panel rejoin', 'aria-labelledby': 'rejoin-title' },
    h('h2', { id: 'rejoin-title' }, '🔑 Your rejoin code'),
    h('p', { class: 'rejoin-code', 'data-testid': 'rejoin-code' }, code.match(/.{1,4}/g)!.join('-')),
    h(
      'p',
      { class: 'hint' },
      'Lost your device? On the join page, type the room code and this code to get your business back. Keep it to yourself: it is your business.',
    ),
  );
}
