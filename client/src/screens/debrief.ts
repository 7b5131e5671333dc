import type { GameLog } from '../../../shared/sim/game-log.ts';
import type { GameSeries } from '../../../shared/replay/series.ts';
import { postmortem, type Postmortem, type PostmortemEntry } from '../../../shared/debrief/postmortem.ts';
import { h } from '../ui/dom.ts';
import { clock } from '../ui/format.ts';
import { debriefCost } from '../ui/debrief-cost.ts';

const KIND: Record<PostmortemEntry['kind'], { icon: string; word: string }> = {
  surge: { icon: '📈', word: 'SURGE' },
  outage: { icon: '💥', word: 'OUTAGE' },
  chaos: { icon: '🐒', word: 'CHAOS' },
  overload: { icon: '🚶‍♀️🚶', word: 'QUEUE OVERFLOW' },
};

/**
 * The debrief of one business: every surge, outage, chaos strike and overload it lived through, what it
 * had at the time, what it lost, and the lesson that moment shows. Text first; "Watch" seeks the replay.
 */
export function debriefPanel(
  log: GameLog,
  playerId: string,
  series: GameSeries | undefined,
  opts: DebriefOptions = {},
): HTMLElement {
  return debriefOf(postmortem(log, playerId, series), opts);
}

export interface DebriefOptions {
  onWatch?: (second: number) => void;
  headingLevel?: 'h2' | 'h3';
}

/** The same panel from a postmortem already made (the server sends each student theirs at the end). */
export function debriefOf(pm: Postmortem, opts: DebriefOptions = {}): HTMLElement {
  const playerId = pm.playerId;
  const heading = h(opts.headingLevel ?? 'h2', { id: `debrief-${playerId}` }, `📝 Debrief: ${pm.name}`);
  const el = h(
    'section',
    { class: 'panel debrief', 'data-testid': 'debrief', 'aria-labelledby': `debrief-${playerId}` },
    heading,
  );
  if (pm.entries.length === 0) {
    el.append(
      h('p', {}, 'Nothing went wrong: no surge, outage or queue overflow hit this business. Well run!'),
    );
    return el;
  }
  const lostTotal = pm.entries.reduce((n, e) => n + e.lost, 0);
  el.append(
    h(
      'p',
      { class: 'debrief-summary' },
      `${pm.entries.length} moment${pm.entries.length === 1 ? '' : 's'} that tested this business; ${lostTotal} customers lost during them.`,
    ),
    h(
      'ol',
      { class: 'debrief-list' },
      ...pm.entries.map((e) => {
        const k = KIND[e.kind];
        return h(
          'li',
          { class: `debrief-entry kind-${e.kind}`, 'data-kind': e.kind },
          h(
            'p',
            { class: 'debrief-when' },
            h('span', { class: 'debrief-kind' }, `${k.icon} ${k.word}`),
            ` ${clock(e.second)}–${clock(e.until)} `,
            h('strong', {}, e.title),
            opts.onWatch
              ? h(
                  'button',
                  {
                    class: 'secondary small',
                    onclick: () => opts.onWatch!(e.second),
                    'aria-label': `Watch ${k.word.toLowerCase()} at ${clock(e.second)}`,
                  },
                  '▶ Watch',
                )
              : null,
          ),
          h('p', { class: 'debrief-setup' }, `The business had: ${e.setup}.`),
          h('p', { class: 'debrief-cost' }, debriefCost(e)),
          e.lesson
            ? h(
                'p',
                { class: 'debrief-lesson' },
                h('span', { class: 'lesson-id' }, `💡 Lesson ${e.lesson.slice(1)}: `),
                e.lessonText,
              )
            : null,
        );
      }),
    ),
  );
  return el;
}
