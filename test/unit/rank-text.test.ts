import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { ReplayPlayback } from '../../client/src/replay/replay-playback.ts';
import { medal, ordinal, placeText, rankCell, sharedBy } from '../../client/src/ui/rank-text.ts';

/** Ranks in words read right when results are equal (the leaderboard gives them one rank). */
describe('rank text', () => {
  it('gives a medal per rank, so two rows sharing 3rd both get bronze', () => {
    const board = [1, 2, 3, 3, 5].map((rank) => ({ rank }));
    expect(board.map((r) => rankCell(r.rank))).toEqual(['🥇 1', '🥈 2', '🥉 3', '🥉 3', '5']);
    expect(medal(4)).toBe('');
    expect(sharedBy(board, 3)).toBe(2);
    expect(sharedBy(board, 4)).toBe(0);
  });

  it('says when a place is shared, and when everyone is tied', () => {
    expect(placeText({ rank: 2, shared: 1, of: 4 })).toBe('#2 of 4');
    expect(placeText({ rank: 2, shared: 2, of: 4 })).toBe('#2 of 4 (tied with 1 other)');
    expect(placeText({ rank: 2, shared: 3, of: 5 })).toBe('#2 of 5 (tied with 2 others)');
    expect(placeText({ rank: 1, shared: 4, of: 4 })).toBe('#1 of 4 (all tied)');
    expect(placeText({ rank: 1, shared: 1, of: 1 })).toBe('#1 of 1');
    // The live HUD's top bar (a phone's width): short words.
    expect(placeText({ rank: 2, shared: 3, of: 30 }, true)).toBe('#2 of 30 (tied)');
    expect(placeText({ rank: 2, shared: 1, of: 30 }, true)).toBe('#2 of 30');
    expect(placeText({ rank: 1, shared: 30, of: 30 }, true)).toBe('#1 of 30 (all tied)');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal).join(' ')).toBe(
      '1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 101st 111th',
    );
  });

  // The playtest: a replay at 0:00 showed the watched business "#1 of 4" (join order), before anyone
  // had sold a cup. Everyone is tied then, and the replay's title says so; later the three students who
  // never bought (the same customers, the same business) still share one place.
  it('a replay at 0:00 ties every business; equal businesses stay tied, the one that bought stands apart', () => {
    const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 5, settings: {} });
    for (const id of ['ann', 'bob', 'cat', 'dan'])
      g.submit({ type: 'join', playerId: id, name: id, bot: null });
    g.submit({ type: 'start' });
    for (let t = 0; t < 600; t++) {
      if (t === 100) g.submit({ type: 'buy', playerId: 'bob', item: 'stand' });
      g.advance();
    }
    const log = JSON.parse(JSON.stringify(g.log));
    const p = new ReplayPlayback(log, 600, 'ann');
    const placeOf = (id: string): string => {
      p.selected = id;
      const v = p.view()!;
      return placeText(v.place!);
    };
    expect(['ann', 'bob', 'cat', 'dan'].map(placeOf)).toEqual(Array(4).fill('#1 of 4 (all tied)'));
    p.seek(600);
    const later = ['ann', 'cat', 'dan'].map(placeOf);
    expect(new Set(later).size).toBe(1);
    expect(later[0]).toMatch(/^#[12] of 4 \(tied with 2 others\)$/);
    expect(placeOf('bob')).toMatch(/^#[14] of 4$/);
  });

  // The replay's view said "rank: none, shared by 1" for a business with no place (a removed student's,
  // left out of the ranking): one value now, a whole place or none.
  it("a replay's business outside the ranking has no place at all, not a rank-less share", () => {
    const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 5, settings: {} });
    for (const id of ['ann', 'bob']) g.submit({ type: 'join', playerId: id, name: id, bot: null });
    g.submit({ type: 'start' });
    for (let t = 0; t < 50; t++) g.advance();
    g.submit({ type: 'kick', playerId: 'bob' });
    for (let t = 0; t < 50; t++) g.advance();
    const p = new ReplayPlayback(JSON.parse(JSON.stringify(g.log)), 100, 'bob');
    p.seek(100);
    expect(p.view()!.place).toBeNull();
    p.selected = 'ann';
    expect(p.view()!.place).toEqual({ rank: 1, shared: 1, of: 1 });
  });
});
