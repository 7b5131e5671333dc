import type { PostmortemEntry } from '../../../shared/debrief/postmortem.ts';
import { clock } from './format.ts';

/**
 * What a moment cost. Each second's losses are told once, under the first moment that covers it
 * (shared/debrief/postmortem.ts), so a surge inside a long chaos window counts only what the chaos
 * moment has not told: "😊 No customer lost" there was false (a x5 surge on 3 cups/s "lost none").
 */
export function debriefCost(e: PostmortemEntry, before: PostmortemEntry[]): string {
  const earlier = toldEarlier(e, before);
  const line = `longest line ${e.peakLine}`;
  if (!earlier) {
    return e.lost > 0
      ? `😞 ${e.lost} customer${e.lost === 1 ? '' : 's'} lost; ${line}.`
      : `😊 No customer lost; ${line}.`;
  }
  const under = `“${earlier.title}” (${clock(earlier.second)})`;
  return e.lost > 0
    ? `😞 ${e.lost} more customer${e.lost === 1 ? '' : 's'} lost, beyond those counted under ${under}; ${line}.`
    : `Customers lost in these seconds are counted under ${under} above; ${line}.`;
}

/** The earlier moment whose window this one starts in: it told the losses of the seconds they share. */
export function toldEarlier(e: PostmortemEntry, before: PostmortemEntry[]): PostmortemEntry | undefined {
  return before.find((b) => b.second <= e.second && e.second <= b.until);
}
