import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { shopItems } from '../../shared/views/shop.ts';
import { studentView } from '../../shared/views/student-view.ts';
import { classView } from '../../shared/views/class-view.ts';

function game() {
  const g = new RecordedGame({
    scenario: { ...builtInScenario('lemonade-week')!, startingCash: 1000 },
    seed: 1,
    settings: {},
  });
  g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
  g.submit({ type: 'join', playerId: 'b', name: 'Bo' });
  g.submit({ type: 'start' });
  return g;
}

describe('views', () => {
  it('the shop explains what is not possible yet, and offers selling only what the business has', () => {
    const g = game();
    const p = g.state.players[0]!;
    let shop = shopItems(g.state, p);
    expect(shop.find((i) => i.id === 'buy-notebook-replica')!.why).toBe('needs the shared notebook first');
    expect(shop.some((i) => i.id.startsWith('sell-'))).toBe(false); // one stand, nothing else to sell
    g.submit({ type: 'buy', playerId: 'a', item: 'stand' });
    g.submit({ type: 'buy', playerId: 'a', item: 'load-balancer' });
    shop = shopItems(g.state, p);
    const sell = shop.find((i) => i.id === 'sell-stand')!;
    expect(sell.label).toBe('Sell stand #2 ($30 back)');
    expect(sell.price).toBeNull();
    expect(shop.find((i) => i.id === 'sell-load-balancer')!.allowed).toBe(true);
    // The action the shop offers is one the game accepts.
    const cash = p.cash;
    expect(g.submit({ ...sell.action, playerId: 'a' }).ok).toBe(true);
    expect(p.cash).toBe(cash + 30);
    expect(p.stands).toHaveLength(1);
  });

  it('while the teacher pauses, the shop is closed and says why (the server refuses every purchase then)', () => {
    const g = game();
    const p = g.state.players[0]!;
    const facts = { speed: 1, hideScores: false, place: null };
    const paused = studentView(g.state, p, { ...facts, paused: true }).shop;
    expect(paused.find((i) => i.id === 'buy-stand')).toMatchObject({
      allowed: false,
      why: 'the game is paused: the shop opens again when the teacher resumes',
    });
    expect(paused.every((i) => !i.allowed)).toBe(true);
    const resumed = studentView(g.state, p, { ...facts, paused: false }).shop;
    expect(resumed.find((i) => i.id === 'buy-stand')).toMatchObject({ allowed: true, why: null });
  });

  it("a student's view holds their own business only; the rank is hidden when the teacher hides scores", () => {
    const g = game();
    const v = studentView(g.state, g.state.players[0]!, {
      paused: false,
      speed: 1,
      hideScores: true,
      place: { rank: 1, shared: 1, of: 2 },
    });
    expect(v.me.id).toBe('a');
    expect(JSON.stringify(v)).not.toContain('"Bo"');
    expect(v.place).toBeNull();
    expect(v.players).toEqual({ students: 2, bots: 0 });
    const shown = studentView(g.state, g.state.players[0]!, {
      paused: false,
      speed: 1,
      hideScores: false,
      place: { rank: 1, shared: 1, of: 2 },
    });
    expect(shown.place).toEqual({ rank: 1, shared: 1, of: 2 });
  });

  it('the class view sums up the class and lists what the scenario has coming', () => {
    const g = game();
    for (let i = 0; i < 50; i++) g.advance();
    const v = classView(g.state, {
      roomCode: 'ABCDE',
      paused: false,
      speed: 1,
      locked: false,
      scoresHidden: false,
      connected: () => true,
      left: () => false,
      leaderboardRows: 1,
    });
    expect(v.leaderboard).toHaveLength(1);
    expect(v.totals.players).toBe(2);
    expect(v.upcoming[0]!.text).toMatch(/Outage/);
    expect(v.players.map((p) => p.name)).toEqual(['Ann', 'Bo']);
  });

  it('views count down the surge, sale and rent rise on now, and to the next planned event', () => {
    const g = game();
    for (let i = 0; i < 20; i++) g.advance();
    const plan = g.state.scenario.schedule.find((e) => e.atSeconds > 2)!;
    let v = studentView(g.state, g.state.players[0]!, {
      paused: false,
      speed: 1,
      hideScores: false,
      place: { rank: 1, shared: 1, of: 2 },
    });
    expect(v.left).toEqual({ surge: null, sale: null, rentRise: null });
    expect(v.next!.atSeconds).toBe(plan.atSeconds);
    g.submit({ type: 'event', event: { kind: 'surge', multiplier: 3, durationSeconds: 20 } });
    g.submit({ type: 'event', event: { kind: 'surge', multiplier: 5, durationSeconds: 8 } });
    g.submit({ type: 'event', event: { kind: 'sale', discountPercent: 50, durationSeconds: 30 } });
    for (let i = 0; i < 50; i++) g.advance();
    v = studentView(g.state, g.state.players[0]!, {
      paused: false,
      speed: 1,
      hideScores: false,
      place: { rank: 1, shared: 1, of: 2 },
    });
    // The strongest surge is the one demand follows, so its end is the one counted down.
    expect(v.surge).toBe(5);
    expect(v.left.surge).toBeCloseTo(3, 5);
    expect(v.left.sale).toBeCloseTo(25, 5);
    expect(v.left.rentRise).toBeNull();
    const c = classView(g.state, {
      roomCode: 'ABCDE',
      paused: false,
      speed: 1,
      locked: false,
      scoresHidden: false,
      connected: () => true,
      left: () => false,
      leaderboardRows: 1,
    });
    expect(c.left).toEqual(v.left);
  });
});
