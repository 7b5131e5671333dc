import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { studentView } from '../../shared/views/student-view.ts';
import { classView } from '../../shared/views/class-view.ts';
import { classNow, studentNow } from '../../client/src/ui/now-facts.ts';

describe('the "now" line of a student', () => {
  // Whether a view has a next event at all (a surprise schedule: none) is the follower's rule, tested in
  // business-follower.test.ts; here, only that the line says what the view holds and nothing more.
  it('counts down to the next planned event, and tells of none when the view has none', () => {
    const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} });
    g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
    g.submit({ type: 'start' });
    g.advance();
    const v = studentView(g.state, g.state.players[0]!, {
      paused: false,
      speed: 1,
      hideScores: false,
      place: { rank: 1, shared: 1, of: 1 },
    });
    expect(v.next).not.toBeNull();
    const shown = studentNow(v).filter((f) => f.text.startsWith('Next, in '));
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text).toContain(v.next!.text);
    expect(studentNow({ ...v, next: null }).some((f) => f.text.startsWith('Next'))).toBe(false);
  });

  it('the class line tells of closed businesses, but not from a view whose counts are withheld', () => {
    const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} });
    g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
    g.submit({ type: 'join', playerId: 'b', name: 'Bo' });
    g.submit({ type: 'start' });
    g.advance();
    const room = {
      roomCode: 'ABCDE',
      paused: false,
      speed: 1 as const,
      locked: false,
      scoresHidden: false,
      connected: () => true,
      left: () => false,
      leaderboardRows: 5,
    };
    const v = classView(g.state, room);
    const closedFact = (facts: { text: string }[]) => facts.find((f) => / closed /.test(f.text));
    expect(v.totals.playersAvailable).toBe(2);
    expect(closedFact(classNow(v))).toBeUndefined();
    // One business closed: told.
    const oneClosed = { ...v, totals: { ...v.totals, playersAvailable: 1 } };
    expect(closedFact(classNow(oneClosed))?.text).toBe('Now: 1 business closed (nobody served)');
    // The projector's view while scores are hidden (server/rooms/room-views.ts projectorView) withholds
    // the class sums (null): nothing is said of them, whatever the view says of the scores.
    const hidden = { ...v, scoresHidden: true, totals: { ...v.totals, playersAvailable: null } };
    expect(closedFact(classNow(hidden))).toBeUndefined();
    expect(closedFact(classNow({ ...hidden, scoresHidden: false }))).toBeUndefined();
  });
});
