import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { studentView } from '../../shared/views/student-view.ts';
import { studentNow } from '../../client/src/ui/now-facts.ts';

describe('the "now" line of a student', () => {
  it('counts down to the next planned event, unless the teacher keeps the schedule a surprise', () => {
    const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} });
    g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
    g.submit({ type: 'start' });
    g.advance();
    const v = studentView(g.state, g.state.players[0]!, {
      paused: false,
      speed: 1,
      hideScores: false,
      rank: 1,
    });
    expect(v.next).not.toBeNull();
    const shown = studentNow(v).filter((f) => f.text.startsWith('Next, in '));
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text).toContain(v.next!.text);
    expect(studentNow(v, { hideSchedule: true }).some((f) => f.text.startsWith('Next'))).toBe(false);
  });
});
