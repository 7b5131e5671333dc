import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { tryCommand } from '../../shared/sim/apply-command.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import type { GameState } from '../../shared/sim/state.ts';

function game(cash = 100) {
  const sc = { ...builtInScenario('lemonade-week')!, startingCash: cash };
  const g = new RecordedGame({ scenario: sc, seed: 1, settings: {} });
  g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
  return g;
}

/** A refused command returns the expected reason and leaves the state exactly as it was. */
function expectRefused(state: GameState, cmd: unknown, reason: string) {
  const before = stateHash(state);
  const r = tryCommand(state, cmd);
  expect(r).toMatchObject({ ok: false, reason });
  if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
  expect(stateHash(state)).toBe(before);
}

describe('commands', () => {
  it('refuses malformed commands with a message naming the field', () => {
    const g = game();
    expectRefused(g.state, { type: 'buy', playerId: 'a', item: 'castle' }, 'malformed');
    expectRefused(g.state, { type: 'teleport' }, 'malformed');
    expectRefused(g.state, null, 'malformed');
    expectRefused(g.state, { type: 'upgrade', playerId: 'a', standId: -1 }, 'malformed');
    expectRefused(g.state, { type: 'join', playerId: 'x', name: '   ' }, 'malformed');
    expectRefused(g.state, { type: 'join', playerId: 'x', name: 'bad\u0007bell' }, 'malformed');
    expectRefused(
      g.state,
      { type: 'event', event: { kind: 'surge', multiplier: 1000, durationSeconds: 5 } },
      'malformed',
    );
    expectRefused(g.state, { type: 'buy', playerId: 'a', item: 'stand', extra: 1 }, 'malformed');
    const r = tryCommand(g.state, {
      type: 'event',
      event: { kind: 'surge', multiplier: 1000, durationSeconds: 5 },
    });
    expect(!r.ok && r.message).toContain('event.multiplier');
  });

  it('refuses what the rules forbid, with a typed reason, and changes nothing', () => {
    const g = game(100);
    expectRefused(g.state, { type: 'buy', playerId: 'a', item: 'stand' }, 'game-not-started');
    expectRefused(g.state, { type: 'event', event: { kind: 'announce', text: 'hi' } }, 'game-not-started');
    expectRefused(g.state, { type: 'join', playerId: 'a', name: 'Again' }, 'duplicate-player');
    g.submit({ type: 'start' });
    expectRefused(g.state, { type: 'start' }, 'already-started');
    expectRefused(g.state, { type: 'buy', playerId: 'zed', item: 'stand' }, 'unknown-player');
    expectRefused(g.state, { type: 'upgrade', playerId: 'a', standId: 42 }, 'unknown-stand');
    expectRefused(g.state, { type: 'buy', playerId: 'a', item: 'notebook' }, 'not-enough-cash');
    expectRefused(g.state, { type: 'buy', playerId: 'a', item: 'notebook-replica' }, 'needs-notebook');
    expectRefused(g.state, { type: 'set-policy', playerId: 'a', policy: 'random' }, 'needs-load-balancer');
    expectRefused(g.state, { type: 'sell', playerId: 'a', item: 'stand', standId: 0 }, 'last-stand');
    expectRefused(g.state, { type: 'sell', playerId: 'a', item: 'load-balancer' }, 'not-owned');
    expect(tryCommand(g.state, { type: 'upgrade', playerId: 'a', standId: 0 })).toEqual({ ok: true });
    expectRefused(g.state, { type: 'upgrade', playerId: 'a', standId: 0 }, 'stand-not-ready');
    expect(tryCommand(g.state, { type: 'kick', playerId: 'a' })).toEqual({ ok: true });
    expectRefused(g.state, { type: 'buy', playerId: 'a', item: 'stand' }, 'player-removed');
    g.submit({ type: 'end' });
    expectRefused(g.state, { type: 'join', playerId: 'late', name: 'Late' }, 'game-ended');
  });

  it('buys, sells and refunds add up', () => {
    const g = game(1000);
    g.submit({ type: 'start' });
    expect(g.submit({ type: 'buy', playerId: 'a', item: 'stand' }).ok).toBe(true);
    expect(g.submit({ type: 'buy', playerId: 'a', item: 'load-balancer' }).ok).toBe(true);
    const p = g.state.players[0]!;
    expect(p.cash).toBe(1000 - 60 - 100);
    expect(g.submit({ type: 'sell', playerId: 'a', item: 'stand', standId: 1 }).ok).toBe(true);
    expect(p.cash).toBe(1000 - 60 - 100 + 30);
    expect(p.stands.map((s) => s.id)).toEqual([0]);
    expect(p.purchases.sales).toBe(1);
  });

  it('a teacher sale lowers prices while it lasts', () => {
    const g = game(1000);
    g.submit({ type: 'start' });
    g.submit({ type: 'event', event: { kind: 'sale', discountPercent: 50, durationSeconds: 10 } });
    g.submit({ type: 'buy', playerId: 'a', item: 'stand' });
    expect(g.state.players[0]!.m.spent).toBe(30);
    for (let i = 0; i < 100; i++) g.advance();
    g.submit({ type: 'buy', playerId: 'a', item: 'stand' });
    expect(g.state.players[0]!.m.spent).toBe(90);
  });

  it('a rent rise multiplies the rent while it lasts', () => {
    const g = game(1000);
    g.submit({ type: 'start' });
    g.advance();
    const normal = g.state.players[0]!.m.rent;
    g.submit({ type: 'event', event: { kind: 'rent-rise', multiplier: 3, durationSeconds: 1 } });
    g.advance();
    expect(g.state.players[0]!.m.rent).toBeCloseTo(normal * 4, 9);
  });

  it('a surge multiplies demand for its duration', () => {
    const g = game();
    g.submit({ type: 'start' });
    for (let i = 0; i < 100; i++) g.advance();
    const before = g.state.nextCustomerId;
    g.submit({ type: 'event', event: { kind: 'surge', multiplier: 50, durationSeconds: 10 } });
    for (let i = 0; i < 100; i++) g.advance();
    const during = g.state.nextCustomerId - before;
    expect(during).toBeGreaterThan(1.2 * 10 * 50 * 0.7);
    for (let i = 0; i < 100; i++) g.advance();
    expect(g.state.nextCustomerId - before - during).toBeLessThan(40);
  });

  it('the game ends by itself at the scenario duration and records its hash', () => {
    const g = game();
    g.submit({ type: 'start' });
    while (g.state.status === 'running') g.advance();
    expect(g.state.tick).toBe(6000);
    expect(g.log.end).toEqual({ tick: 6000, hash: stateHash(g.state) });
  });
});
