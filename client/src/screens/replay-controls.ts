import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import type { ReplayModel } from '../replay/replay-model.ts';
import { h } from '../ui/dom.ts';
import { playerLabel } from '../../../shared/views/player-label.ts';
import { ReplayTimeline } from './replay-timeline.ts';

const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32];

/** What the controls ask of the replay. */
export interface ReplayControlActions {
  togglePlay(): void;
  seekBy(ticks: number): void;
  seekTo(tick: number): void;
  setSpeed(speed: number): void;
  watch(playerId: string): void;
}

/**
 * The replay's controls: play/pause, steps, speed, whom to watch, the timeline (scrubber and marks)
 * and the keys' hint. Shows what it is told; every click is an action for the screen to carry out.
 */
export class ReplayControls {
  readonly el: HTMLElement;
  private readonly playBtn: HTMLButtonElement;
  private readonly playerSel: HTMLSelectElement;
  private readonly timeline: ReplayTimeline;

  constructor(model: ReplayModel, watched: string, act: ReplayControlActions) {
    this.playBtn = h(
      'button',
      { class: 'primary big', 'data-action': 'play', 'aria-pressed': 'false' },
      '▶ Play',
    );
    const speedSel = h(
      'select',
      { id: 'replay-speed', 'data-testid': 'replay-speed' },
      ...SPEEDS.map((s) => h('option', { value: s, selected: s === 1 }, `x${s}`)),
    );
    this.playerSel = h(
      'select',
      { id: 'replay-player', 'data-testid': 'replay-player' },
      ...model.players.map((p) =>
        h(
          'option',
          { value: p.id, selected: p.id === watched },
          `${playerLabel(p)}${p.removed ? ' (removed)' : ''}`,
        ),
      ),
    );
    const stepBtn = (label: string, aria: string, ticks: number): HTMLButtonElement =>
      h('button', { class: 'secondary', 'aria-label': aria, onclick: () => act.seekBy(ticks) }, label);
    this.timeline = new ReplayTimeline(model.marks, model.endTick, (t) => act.seekTo(t));
    this.timeline.setPlayer(watched);
    this.playBtn.addEventListener('click', () => act.togglePlay());
    speedSel.addEventListener('change', () => act.setSpeed(Number(speedSel.value) || 1));
    this.playerSel.addEventListener('change', () => act.watch(this.playerSel.value));

    this.el = h(
      'section',
      { class: 'panel replay-controls', 'aria-label': 'Replay controls' },
      h(
        'div',
        { class: 'button-row' },
        this.playBtn,
        stepBtn('⏮', 'Back to the start', -model.endTick),
        stepBtn('−10 s', 'Back 10 seconds', -10 * TICKS_PER_SECOND),
        stepBtn('−1 s', 'Back 1 second', -TICKS_PER_SECOND),
        stepBtn('+1 s', 'Forward 1 second', TICKS_PER_SECOND),
        stepBtn('+10 s', 'Forward 10 seconds', 10 * TICKS_PER_SECOND),
        stepBtn('⏭', 'To the end', model.endTick),
        h('label', { for: 'replay-speed' }, 'Speed '),
        speedSel,
        h('label', { for: 'replay-player' }, 'Watch '),
        this.playerSel,
      ),
      this.timeline.el,
      h(
        'p',
        { class: 'hint keys-hint' },
        'Keys: ',
        h('kbd', {}, 'Space'),
        ' play/pause · ',
        h('kbd', {}, '←'),
        ' ',
        h('kbd', {}, '→'),
        ' 1 s (with ',
        h('kbd', {}, 'Shift'),
        ': 10 s) · ',
        h('kbd', {}, ','),
        ' ',
        h('kbd', {}, '.'),
        ' one tick · ',
        h('kbd', {}, 'Home'),
        ' ',
        h('kbd', {}, 'End'),
        ' start/end',
      ),
    );
  }

  showPlaying(playing: boolean): void {
    this.playBtn.textContent = playing ? '⏸ Pause' : '▶ Play';
    this.playBtn.setAttribute('aria-pressed', String(playing));
  }

  showWatched(playerId: string): void {
    this.playerSel.value = playerId;
    this.timeline.setPlayer(playerId);
  }

  showTick(tick: number): void {
    this.timeline.update(tick);
  }
}
