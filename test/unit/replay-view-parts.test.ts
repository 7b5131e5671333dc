import { describe, expect, it } from 'vitest';
import { replayKeyAction, type KeyPress } from '../../client/src/replay/replay-keys.ts';
import { RenderCadence } from '../../client/src/replay/render-cadence.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shift: false,
  modified: false,
  tag: 'BODY',
  ...more,
});

describe("the replay's keys (without a page)", () => {
  it('Space plays, arrows step a second (Shift: ten), comma and full stop a tick, Home and End', () => {
    expect(replayKeyAction(press(' '))).toEqual({ type: 'toggle-play' });
    expect(replayKeyAction(press('ArrowRight'))).toEqual({ type: 'seek-by', ticks: TICKS_PER_SECOND });
    expect(replayKeyAction(press('ArrowLeft', { shift: true }))).toEqual({
      type: 'seek-by',
      ticks: -10 * TICKS_PER_SECOND,
    });
    expect(replayKeyAction(press('.'))).toEqual({ type: 'seek-by', ticks: 1 });
    expect(replayKeyAction(press(','))).toEqual({ type: 'seek-by', ticks: -1 });
    expect(replayKeyAction(press('Home'))).toEqual({ type: 'seek-to', where: 'start' });
    expect(replayKeyAction(press('End'))).toEqual({ type: 'seek-to', where: 'end' });
    expect(replayKeyAction(press('x'))).toBeNull();
  });

  it('leaves typing, browser shortcuts, a focused button and the scrubber their own keys', () => {
    expect(replayKeyAction(press(' ', { tag: 'INPUT', inputType: 'number' }))).toBeNull();
    expect(replayKeyAction(press('ArrowRight', { tag: 'SELECT' }))).toBeNull();
    expect(replayKeyAction(press('ArrowRight', { modified: true }))).toBeNull();
    expect(replayKeyAction(press(' ', { tag: 'BUTTON' }))).toBeNull();
    // On the range input the arrows, Home and End move the range itself; a tick step still works.
    const range = { tag: 'INPUT', inputType: 'range' };
    expect(replayKeyAction(press('ArrowRight', range))).toBeNull();
    expect(replayKeyAction(press('End', range))).toBeNull();
    expect(replayKeyAction(press('.', range))).toEqual({ type: 'seek-by', ticks: 1 });
    expect(replayKeyAction(press(' ', range))).toEqual({ type: 'toggle-play' });
  });
});

describe("the replay's drawing cadence", () => {
  it('draws the business ~15 times a second when the tick moves, the board once a second, all when forced', () => {
    const c = new RenderCadence();
    expect(c.frame(1000, 0, true)).toEqual({ rewound: false, view: true, board: true, charts: true });
    // The tick did not move: nothing but (at their pace) the playheads.
    expect(c.frame(1010, 0, false)).toMatchObject({ view: false, board: false, charts: false });
    expect(c.frame(1030, 5, false)).toMatchObject({ view: false, board: false });
    expect(c.frame(1100, 6, false)).toMatchObject({ view: true, board: false });
    expect(c.frame(1300, 7, false)).toMatchObject({ view: true, board: false, charts: true });
    expect(c.frame(2100, 8, false)).toMatchObject({ view: true, board: true });
    expect(c.frame(2110, 3, false).rewound).toBe(true);
  });
});
