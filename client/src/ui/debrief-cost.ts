import type { PostmortemEntry } from '../../../shared/debrief/postmortem.ts';
import { clock } from './format.ts';

/**
 * What a moment cost. Each second's losses are told once, under the moment that told them first
 * (shared/debrief/postmortem.ts: events before overloads, earlier before later), and a moment that shares
 * seconds with it names it (`countedUnder`): a surge inside a long chaos window counts only what the chaos
 * moment has not told, so "😊 No customer lost" there was false (a x5 surge on 3 cups/s "lost none").
 */
export function debriefCost(e: PostmortemEntry): string {
  const line = `longest line ${e.peakLine}`;
  const earlier = e.countedUnder;
  if (!earlier) {
    return e.lost > 0
      ? `😞 ${e.lost} customer${e.lost === 1 ? '' : 's'} lost; ${line}.`
      : `😊 No customer lost; ${line}.`;
  }
  const under = `“${earlier.title}” (${clock(earlier.second)})`;
  return e.lost > 0
    ? `😞 ${e.lost} more customer${e.lost === 1 ? '' : 's'} lost, beyond those counted under ${under}; ${line}.`
    : `Customers lost in these seconds are counted under ${under}; ${line}.`;
}
