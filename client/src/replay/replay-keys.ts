import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';

/** What a key does to the replay. */
export type ReplayKeyAction =
  { type: 'toggle-play' } | { type: 'seek-by'; ticks: number } | { type: 'seek-to'; where: 'start' | 'end' };

/** The key and where it was pressed (the focused element's tag and input type). */
export interface KeyPress {
  key: string;
  shift: boolean;
  /** Alt, Ctrl or Meta held: the browser's shortcut, not ours. */
  modified: boolean;
  tag: string;
  inputType?: string;
}

/**
 * The replay's keyboard, without a page: Space play/pause, ←/→ a second (Shift: ten), `,`/`.` one tick,
 * Home/End. Typing in a field is left alone; on the scrubber (a range input) the arrows, Home and End
 * are the range's own; Space on a button is that button's click.
 */
export function replayKeyAction(k: KeyPress): ReplayKeyAction | null {
  if (k.modified) return null;
  const typing = k.tag === 'SELECT' || k.tag === 'TEXTAREA' || (k.tag === 'INPUT' && k.inputType !== 'range');
  if (typing) return null;
  const onRange = k.tag === 'INPUT';
  const step = (k.shift ? 10 : 1) * TICKS_PER_SECOND;
  if (k.key === ' ') return k.tag === 'BUTTON' ? null : { type: 'toggle-play' };
  if (k.key === '.') return { type: 'seek-by', ticks: 1 };
  if (k.key === ',') return { type: 'seek-by', ticks: -1 };
  if (onRange) return null;
  if (k.key === 'ArrowRight') return { type: 'seek-by', ticks: step };
  if (k.key === 'ArrowLeft') return { type: 'seek-by', ticks: -step };
  if (k.key === 'Home') return { type: 'seek-to', where: 'start' };
  if (k.key === 'End') return { type: 'seek-to', where: 'end' };
  return null;
}
