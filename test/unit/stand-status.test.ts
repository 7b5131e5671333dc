import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { studentView } from '../../shared/views/student-view.ts';
import type { StudentView } from '../../shared/protocol/views.ts';
import { statusText, stoppedBy } from '../../client/src/ui/stand-table.ts';

/** The stands table's status words follow the game's clock: a paused game serves nobody. */
describe('stand status', () => {
  const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 2, settings: {} });
  g.submit({ type: 'join', playerId: 'ann', name: 'Ann', bot: null });
  g.submit({ type: 'start' });
  const viewOf = (paused: boolean): StudentView =>
    studentView(g.state, g.state.players[0]!, {
      paused,
      speed: 1,
      hideScores: false,
      place: { rank: 1, shared: 1, of: 1 },
    });
  // On until the stand is making a cup.
  while (!viewOf(false).me.stands[0]!.serving) g.advance();

  it('says serving while the clock runs, and paused while the teacher pauses', () => {
    const running = viewOf(false);
    expect(statusText(running.me.stands[0]!, stoppedBy(running))).toBe('🥤 serving');
    const paused = viewOf(true);
    expect(paused.me.stands[0]!.serving).toBe(true);
    expect(statusText(paused.me.stands[0]!, stoppedBy(paused))).toBe('⏸ paused');
  });

  it('holds a countdown as paused, and leaves a replay stopped by its viewer on what the stand did', () => {
    const building = { ...viewOf(true).me.stands[0]!, status: 'building' as const, secondsLeft: 2.2 };
    expect(statusText(building, 'paused')).toBe('🔨 building, 3 s (paused)');
    expect(statusText(building, null)).toBe('🔨 building, 3 s');
    // The replay passes no stop (its `paused` is its own play button).
    expect(statusText(viewOf(true).me.stands[0]!)).toBe('🥤 serving');
  });
});
