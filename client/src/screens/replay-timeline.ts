import type { TimelineMark } from '../../../shared/replay/timeline.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { h } from '../ui/dom.ts';
import { clock } from '../ui/format.ts';

/** Each kind of mark has its own shape and word, so the timeline never relies on colour alone. */
const SHAPE: Record<TimelineMark['kind'], string> = {
  event: '▲',
  scheduled: '◆',
  chaos: '✖',
  purchase: '●',
  join: '',
  game: '■',
};
const WORD: Record<TimelineMark['kind'], string> = {
  event: 'teacher',
  scheduled: 'scheduled',
  chaos: 'chaos',
  purchase: 'purchase',
  join: 'join',
  game: 'game',
};

/**
 * The replay's scrubber: a native range input (keyboard: arrows, Page Up/Down, Home/End) over a strip
 * of marks (the teacher's events, the schedule, chaos strikes, the watched player's purchases), and a
 * "jump to" list with the same marks as text.
 */
export class ReplayTimeline {
  readonly el: HTMLElement;
  private readonly range: HTMLInputElement;
  private readonly strip = h('div', { class: 'timeline-marks', 'aria-hidden': 'true' });
  private readonly jump: HTMLSelectElement;
  private shown: TimelineMark[] = [];

  constructor(
    private readonly marks: TimelineMark[],
    private readonly endTick: number,
    private readonly onSeek: (tick: number) => void,
  ) {
    this.range = h('input', {
      type: 'range',
      min: 0,
      max: endTick,
      step: 1,
      value: 0,
      id: 'replay-scrubber',
      'data-testid': 'replay-scrubber',
      'aria-label': 'Replay position',
    });
    this.range.addEventListener('input', () => this.onSeek(Number(this.range.value)));
    this.jump = h('select', { id: 'replay-jump', 'data-testid': 'replay-jump' });
    this.jump.addEventListener('change', () => {
      if (this.jump.value !== '') this.onSeek(Number(this.jump.value));
      this.jump.value = '';
    });
    this.el = h(
      'div',
      { class: 'timeline' },
      h('div', { class: 'timeline-track' }, this.strip, this.range),
      h(
        'p',
        { class: 'timeline-legend' },
        '▲ teacher event · ◆ scheduled event · ✖ chaos strike · ● purchase of the player you watch · ■ start/end ',
        h('label', { for: 'replay-jump' }, 'Jump to: '),
        this.jump,
      ),
    );
    this.setPlayer(null);
  }

  /** Shows everybody's events and this player's own purchases. */
  setPlayer(playerId: string | null): void {
    this.shown = this.marks.filter(
      (m) => m.kind !== 'join' && (m.kind !== 'purchase' || m.playerId === playerId),
    );
    this.strip.replaceChildren(
      ...this.shown.map((m) =>
        h(
          'span',
          {
            class: `mark mark-${m.kind}`,
            style: `left: ${(100 * Math.min(m.tick, this.endTick)) / Math.max(1, this.endTick)}%`,
            title: `${clock(m.tick / TICKS_PER_SECOND)} ${m.text}`,
          },
          SHAPE[m.kind],
        ),
      ),
    );
    this.jump.replaceChildren(
      h('option', { value: '' }, `${this.shown.length} moments…`),
      ...this.shown.map((m) =>
        h(
          'option',
          { value: Math.min(m.tick, this.endTick) },
          `${clock(m.tick / TICKS_PER_SECOND)} ${SHAPE[m.kind]} ${WORD[m.kind]}: ${m.text}`,
        ),
      ),
    );
  }

  update(tick: number): void {
    if (document.activeElement === this.range && Number(this.range.value) === tick) return;
    this.range.value = String(tick);
    this.range.setAttribute(
      'aria-valuetext',
      `${clock(tick / TICKS_PER_SECOND)} of ${clock(this.endTick / TICKS_PER_SECOND)}`,
    );
  }
}
