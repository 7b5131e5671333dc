import type { GameLog } from '../../../shared/sim/game-log.ts';
import type { GameState } from '../../../shared/sim/state.ts';
import type { PlayerCommand } from '../../../shared/sim/commands.ts';
import { LB_MODES, LB_POLICIES } from '../../../shared/sim/commands.ts';
import type { PlayerAction } from '../../../shared/protocol/payloads.ts';
import { forkLog, type ForkDecision } from '../../../shared/replay/fork.ts';
import { collectSeries, type GameSeries } from '../../../shared/replay/series.ts';
import { findPlayer } from '../../../shared/sim/apply-command.ts';
import { playerResults, type PlayerResults } from '../../../shared/sim/results.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import type { ReplayModel } from '../replay/replay-model.ts';
import { ReplayChart } from '../replay/replay-chart.ts';
import { downloadText } from '../replay/downloads.ts';
import { h, setText } from '../ui/dom.ts';
import { clock, standLabel, strategyText } from '../ui/format.ts';
import { SERIES_COLOURS } from '../ui/theme.ts';
import { RESULT_METRICS } from '../../../shared/views/result-metrics.ts';

/**
 * A finished what-if: the forked game's log, and the forked business alone (its series and final
 * state: the rest of the class is the original's).
 */
export interface WhatIf {
  log: GameLog;
  series: GameSeries;
  final: GameState;
  playerId: string;
  atTick: number;
  refused: { tick: number; cmd: PlayerCommand; message: string }[];
}

type Action = PlayerAction;

/** A decision as one select value and back ("buy:notebook", "upgrade:3", "set-policy:least-queue"). */
function encode(a: Action): string {
  switch (a.type) {
    case 'buy':
      return `buy:${a.item}`;
    case 'upgrade':
      return `upgrade:${a.standId}`;
    case 'sell':
      return a.standId === undefined ? `sell:${a.item}` : `sell:${a.item}:${a.standId}`;
    case 'set-policy':
      return `set-policy:${a.policy}`;
    case 'set-lb-mode':
      return `set-lb-mode:${a.mode}`;
  }
}

function decode(v: string): Action {
  const [type, x, y] = v.split(':') as [string, string, string | undefined];
  switch (type) {
    case 'buy':
      return { type: 'buy', item: x as never };
    case 'upgrade':
      return { type: 'upgrade', standId: Number(x) };
    case 'sell':
      return y === undefined
        ? { type: 'sell', item: x as never }
        : { type: 'sell', item: x as never, standId: Number(y) };
    case 'set-policy':
      return { type: 'set-policy', policy: x as never };
    default:
      return { type: 'set-lb-mode', mode: x as never };
  }
}

/**
 * The number students saw for a stand id at the fork ("#1" is the first of their stands then); a
 * stand built later gets the next numbers, in the order it would be built.
 */
function standNumberer(state: GameState, playerId: string): (standId: number) => number {
  const p = findPlayer(state, playerId);
  return (id) => {
    if (!p) return id + 1;
    const i = p.stands.findIndex((st) => st.id === id);
    return i >= 0 ? i + 1 : p.stands.length + 1 + Math.max(0, id - p.nextStandId);
  };
}

function describe(a: Action, num: (standId: number) => number): string {
  switch (a.type) {
    case 'buy':
      return `buy ${a.item === 'stand' ? 'a stand' : a.item === 'load-balancer' ? 'a load balancer' : a.item === 'notebook' ? 'the shared notebook' : 'a notebook replica'}`;
    case 'upgrade':
      return `bigger blender for stand ${standLabel(num(a.standId))}`;
    case 'sell':
      return `sell ${a.item}${a.standId === undefined ? '' : ` ${standLabel(num(a.standId))}`}`;
    case 'set-policy':
      return `balance by ${a.policy}`;
    case 'set-lb-mode':
      return `two balancers: ${a.mode}`;
  }
}

/** Every decision a player could make, for the "add a decision" list; stand ids up to a few past today's. */
function actionChoices(state: GameState, playerId: string): Action[] {
  const p = findPlayer(state, playerId);
  const maxId = Math.max(p?.nextStandId ?? 1, 1) + 3;
  const out: Action[] = [
    { type: 'buy', item: 'notebook' },
    { type: 'buy', item: 'notebook-replica' },
    { type: 'buy', item: 'load-balancer' },
    { type: 'buy', item: 'stand' },
  ];
  for (let id = 0; id < maxId; id++) out.push({ type: 'upgrade', standId: id });
  for (const policy of LB_POLICIES) out.push({ type: 'set-policy', policy });
  for (const mode of LB_MODES) out.push({ type: 'set-lb-mode', mode });
  out.push({ type: 'sell', item: 'notebook' }, { type: 'sell', item: 'load-balancer' });
  for (let id = 0; id < maxId; id++) out.push({ type: 'sell', item: 'stand', standId: id });
  return out;
}

/**
 * What-if: fork the game at the replay's current tick, edit one player's decisions from there (their
 * original ones are listed and can be removed or moved, new ones added), run it in the page, and
 * compare the two endings: a results table, charts of both, and (through onResult) two scenes.
 */
export class WhatIfPanel {
  readonly el: HTMLElement;
  private readonly body = h('div', { class: 'whatif-body' });
  private readonly status = h('p', { class: 'whatif-status', role: 'status' });
  private charts: ReplayChart[] = [];
  private decisions: { tick: number; action: Action }[] = [];
  private atTick = 0;
  private playerId = '';
  private num: (standId: number) => number = (id) => id + 1;
  /** How long the last what-if took to compute (ms; the browser test reads it from data-compute-ms). */
  computeMs = 0;

  constructor(
    private readonly model: ReplayModel,
    private readonly position: () => {
      tick: number;
      playerId: string;
      state: GameState;
      /** The original game at its latest replay checkpoint before a tick (null: none yet). */
      stateBefore: (tick: number) => GameState | null;
    },
    private readonly onResult: (w: WhatIf | null) => void,
    private readonly onSeek: (seconds: number) => void,
  ) {
    this.el = h(
      'section',
      { class: 'panel whatif', 'aria-labelledby': 'whatif-title', 'data-testid': 'whatif' },
      h('h2', { id: 'whatif-title' }, '🔀 What if…?'),
      h(
        'p',
        {},
        'Change one player’s decisions from any moment and see how the game would have ended. Everybody else, and every customer, stays the same.',
      ),
      h(
        'button',
        { class: 'primary', 'data-action': 'fork', onclick: () => this.start() },
        '🔀 Fork from this moment',
      ),
      this.body,
      this.status,
    );
  }

  /** Opens the editor at the replay's current tick for the watched player. */
  start(): void {
    const pos = this.position();
    this.atTick = pos.tick;
    this.playerId = pos.playerId;
    this.decisions = this.model.log.commands
      .filter(
        (e) =>
          e.tick >= this.atTick &&
          'playerId' in e.cmd &&
          e.cmd.playerId === this.playerId &&
          e.cmd.type !== 'join' &&
          e.cmd.type !== 'kick',
      )
      .map((e) => {
        const { playerId: _drop, ...action } = e.cmd as PlayerCommand;
        return { tick: e.tick, action: action as Action };
      });
    this.renderEditor(pos.state);
  }

  private renderEditor(state: GameState): void {
    this.destroyCharts();
    this.onResult(null);
    this.num = standNumberer(state, this.playerId);
    const name = this.model.playerName(this.playerId);
    const list = h('ol', { class: 'whatif-decisions', 'data-testid': 'whatif-decisions' });
    const redraw = (): void => {
      this.decisions.sort((a, b) => a.tick - b.tick);
      list.replaceChildren(
        ...(this.decisions.length
          ? this.decisions.map((d, i) =>
              h(
                'li',
                {},
                `${clock(d.tick / TICKS_PER_SECOND)}: ${describe(d.action, this.num)} `,
                h(
                  'button',
                  {
                    class: 'link',
                    'aria-label': `Remove: ${describe(d.action, this.num)} at ${clock(d.tick / TICKS_PER_SECOND)}`,
                    onclick: () => {
                      this.decisions.splice(i, 1);
                      redraw();
                    },
                  },
                  '✖ remove',
                ),
              ),
            )
          : [h('li', { class: 'empty' }, 'No decisions: the business keeps what it has.')]),
      );
    };
    redraw();
    const choice = h(
      'select',
      { id: 'whatif-action', 'data-testid': 'whatif-action' },
      ...actionChoices(state, this.playerId).map((a) =>
        h('option', { value: encode(a) }, describe(a, this.num)),
      ),
    );
    const at = h('input', {
      id: 'whatif-at',
      type: 'number',
      min: Math.ceil(this.atTick / TICKS_PER_SECOND),
      max: Math.floor(this.model.endSeconds),
      step: 1,
      value: Math.ceil(this.atTick / TICKS_PER_SECOND),
      'data-testid': 'whatif-at',
    });
    // The game's clock says m:ss; the field takes seconds, so it shows the same moment as m:ss too.
    const atClock = h('output', { for: 'whatif-at', 'data-testid': 'whatif-at-clock' });
    const showAt = (): void => setText(atClock, `(${clock(Number(at.value) || 0)})`);
    at.addEventListener('input', showAt);
    showAt();
    const add = h('button', { class: 'secondary', 'data-action': 'whatif-add' }, '➕ Add');
    add.addEventListener('click', () => {
      const sec = Math.max(
        this.atTick / TICKS_PER_SECOND,
        Math.min(Number(at.value) || 0, this.model.endSeconds),
      );
      this.decisions.push({ tick: Math.round(sec * TICKS_PER_SECOND), action: decode(choice.value) });
      redraw();
    });
    const run = h('button', { class: 'primary', 'data-action': 'whatif-run' }, '▶ Run the what-if');
    run.addEventListener('click', () => {
      setText(this.status, 'Playing the what-if in this page…');
      window.setTimeout(() => this.run(), 30);
    });
    this.body.replaceChildren(
      h(
        'p',
        { class: 'whatif-fork-at' },
        `Fork at ${clock(this.atTick / TICKS_PER_SECOND)} for `,
        h('strong', {}, name),
        '. Up to then the game is the same. From then on, these are their decisions:',
      ),
      list,
      h(
        'p',
        { class: 'whatif-add' },
        h('label', { for: 'whatif-action' }, 'Add: '),
        choice,
        h('label', { for: 'whatif-at' }, ' at game second '),
        at,
        ' ',
        atClock,
        ' ',
        add,
      ),
      h('p', { class: 'button-row' }, run),
    );
    setText(this.status, '');
  }

  private run(): void {
    const decisions: ForkDecision[] = this.decisions.map((d) => ({
      tick: d.tick,
      cmd: { ...d.action, playerId: this.playerId } as PlayerCommand,
    }));
    // Only this business is re-simulated, from the replay's checkpoint before the fork; the rest of the
    // class is the original's (docs/simulation.md, "Checkpoints and one business at a time").
    const t0 = performance.now();
    const fork = forkLog(this.model.log, this.atTick, this.playerId, decisions, {
      from: this.position().stateBefore(this.atTick),
      originalEnd: this.model.final,
    });
    const { series, final } = collectSeries(fork.log, { playerId: this.playerId });
    this.computeMs = performance.now() - t0;
    this.status.dataset['computeMs'] = this.computeMs.toFixed(0);
    const w: WhatIf = {
      log: fork.log,
      series,
      final,
      playerId: this.playerId,
      atTick: this.atTick,
      refused: fork.refused,
    };
    this.showResult(w);
    this.onResult(w);
    setText(this.status, 'What-if ready: compare below, and the two scenes play side by side above.');
  }

  private showResult(w: WhatIf): void {
    this.destroyCharts();
    const orig = findPlayer(this.model.final, w.playerId);
    const fork = findPlayer(w.final, w.playerId);
    if (!orig || !fork) return;
    const a = playerResults(this.model.final, orig);
    const b = playerResults(w.final, fork);
    const rows: [string, (r: PlayerResults) => string, (r: PlayerResults) => number | null, boolean][] = [
      ...RESULT_METRICS.map(
        (m) =>
          [m.label, m.text, m.value, m.higherIsBetter] as [
            string,
            (r: PlayerResults) => string,
            (r: PlayerResults) => number | null,
            boolean,
          ],
      ),
      ['Strategy', (r) => strategyText(r.strategy, r.badges), () => null, true],
    ];
    const verdict = (va: number | null, vb: number | null, higherIsBetter: boolean): string => {
      if (va === null || vb === null || Math.abs(va - vb) < 1e-9) return '= same';
      return vb > va === higherIsBetter ? '▲ better' : '▼ worse';
    };
    const table = h(
      'table',
      { class: 'whatif-compare', 'data-testid': 'whatif-compare' },
      h('caption', {}, `${a.name}: the game as played, and the what-if`),
      h(
        'thead',
        {},
        h('tr', {}, ...['', 'As played', 'What-if', 'Change'].map((c) => h('th', { scope: 'col' }, c))),
      ),
      h(
        'tbody',
        {},
        ...rows.map(([label, fmt, val, up]) =>
          h(
            'tr',
            { 'data-metric': label },
            h('th', { scope: 'row' }, label),
            h('td', {}, fmt(a)),
            h('td', {}, fmt(b)),
            h('td', {}, label === 'Strategy' ? '' : verdict(val(a), val(b), up)),
          ),
        ),
      ),
    );
    const refused = w.refused.length
      ? h(
          'div',
          { class: 'whatif-refused', role: 'note' },
          h('p', {}, '⚠️ The what-if game refused some decisions:'),
          h(
            'ul',
            {},
            ...w.refused.map((r) =>
              h('li', {}, `${clock(r.tick / TICKS_PER_SECOND)} ${describe(r.cmd, this.num)}: ${r.message}`),
            ),
          ),
        )
      : null;
    const chartBox = h('div', { class: 'charts whatif-charts' });
    const po = this.model.series.players.find((p) => p.id === w.playerId)!;
    const pf = w.series.players.find((p) => p.id === w.playerId)!;
    const start = this.model.log.header.scenario.startingCash;
    const xs = this.model.series.t.length >= w.series.t.length ? this.model.series.t : w.series.t;
    const pad = (ys: number[]): number[] => xs.map((_, i) => ys[Math.min(i, ys.length - 1)] ?? 0);
    const spec = [
      { label: 'as played', stroke: SERIES_COLOURS.asPlayed },
      { label: 'what-if', stroke: SERIES_COLOURS.whatIf, dash: [8, 4] },
    ];
    for (const [title, key, y] of [
      ['Profit: as played vs what-if', 'cash', 'dollars'],
      ['Customers served', 'served', 'cups'],
      ['Customers lost', 'lost', 'people'],
      ['People in line', 'line', 'people'],
    ] as const) {
      const f = (ys: number[]): number[] => (key === 'cash' ? ys.map((c) => Math.round(c - start)) : ys);
      const c = new ReplayChart(title, spec, [xs, pad(f(po[key])), pad(f(pf[key]))], {
        yLabel: y,
        height: 180,
        onSeek: this.onSeek,
      });
      this.charts.push(c);
      chartBox.append(c.el);
    }
    const dl = h('button', { class: 'secondary', 'data-action': 'whatif-download' }, '⬇️ What-if log (JSON)');
    dl.addEventListener('click', () =>
      downloadText(
        JSON.stringify(w.log, null, 1),
        `lemonscale-whatif-${this.model.gameId}-${w.playerId}.json`,
        'application/json',
      ),
    );
    const result = h(
      'div',
      { class: 'whatif-result' },
      table,
      refused,
      h('p', { class: 'button-row' }, dl),
      chartBox,
    );
    this.body.querySelector('.whatif-result')?.remove();
    this.body.append(result);
  }

  setPlayhead(seconds: number): void {
    for (const c of this.charts) c.setPlayhead(seconds);
  }

  private destroyCharts(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  destroy(): void {
    this.destroyCharts();
  }
}
