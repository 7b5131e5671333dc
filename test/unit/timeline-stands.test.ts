import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { timelineMarks } from '../../shared/replay/timeline.ts';
import { businessView } from '../../shared/views/business-view.ts';

describe('replay timeline marks', () => {
  it('name stands as the game does (#position), also after a stand was sold', () => {
    const g = new RecordedGame({
      scenario: { ...builtInScenario('lemonade-week')!, startingCash: 100_000 },
      seed: 1,
      settings: {},
    });
    const ok = (r: { ok: boolean }) => expect(r.ok).toBe(true);
    ok(g.submit({ type: 'join', playerId: 'a', name: 'Ann' }));
    ok(g.submit({ type: 'start' }));
    ok(g.submit({ type: 'buy', playerId: 'a', item: 'stand' }));
    ok(g.submit({ type: 'buy', playerId: 'a', item: 'stand' }));
    for (let i = 0; i < 100; i++) g.advance();
    ok(g.submit({ type: 'sell', playerId: 'a', item: 'stand', standId: 1 }));
    // Stand id 2 is now the second stand: the game shows it as #2.
    const shown = businessView(g.state, g.state.players[0]!).stands.find((s) => s.id === 2)!;
    expect(shown.number).toBe(2);
    ok(g.submit({ type: 'upgrade', playerId: 'a', standId: 2 }));
    const texts = timelineMarks(g.log)
      .filter((m) => m.kind === 'purchase')
      .map((m) => m.text);
    expect(texts).toEqual([
      'bought a stand',
      'bought a stand',
      'sold stand #2',
      'bigger blender for stand #2',
    ]);
  });
});
