import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import {
  blenderRate,
  effectiveCapacity,
  isAvailable,
  reachableCount,
  reachableStands,
} from '../../shared/sim/topology.ts';
import { installed } from '../../shared/bots/capacity-plan.ts';
import { botView } from '../../shared/bots/bot.ts';
import { standViews } from '../../shared/views/business-view.ts';
import { shopItems } from '../../shared/views/shop.ts';
import type { Player, StandStatus } from '../../shared/sim/state.ts';

const STATUSES: StandStatus[] = ['open', 'building', 'swapping', 'failed'];

/**
 * Businesses of 0-4 stands in every mix of statuses (by a counter), with 0, 1 or 2 balancers, broken or
 * not: each one built on the same game, which is left as it was after the call.
 */
function eachBusiness(visit: (g: RecordedGame, p: Player) => void): number {
  const scenario = { ...builtInScenario('lemonade-week')!, startingCash: 10_000 };
  const g = new RecordedGame({ scenario, seed: 1, settings: {} });
  g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
  g.submit({ type: 'start' });
  const p = g.state.players[0]!;
  for (let i = 0; i < 3; i++) g.submit({ type: 'buy', playerId: 'a', item: 'stand' });
  for (let i = 0; i < 60; i++) g.advance(); // built
  const stands = [...p.stands];
  let n = 0;
  for (let count = 0; count <= stands.length; count++)
    for (let mix = 0; mix < STATUSES.length ** count; mix++)
      for (const lbs of [[], [-1], [5], [-1, 5], [5, 5]]) {
        p.stands = stands.slice(0, count);
        p.stands.forEach((s, i) => (s.status = STATUSES[Math.floor(mix / STATUSES.length ** i) % 4]!));
        p.lbs = lbs.map((failedUntil) => ({ failedUntil, paid: 100 }));
        visit(g, p);
        n++;
      }
  return n;
}

describe('which stands customers can reach has one rule (topology.ts reachableCount)', () => {
  it('all of them behind a balancer (working or not), else only the first, whatever their status', () => {
    eachBusiness((_g, p) => {
      const want = p.lbs.length > 0 ? p.stands.length : Math.min(1, p.stands.length);
      expect(reachableCount(p)).toBe(want);
      expect(reachableStands(p)).toEqual(p.stands.slice(0, want));
    });
  });

  it('the views, the shop, availability and the bots read the same stands', () => {
    const seen = eachBusiness((g, p) => {
      const sc = g.state.scenario;
      const tick = g.state.tick;
      const reached = reachableStands(p);
      // The student's stand table.
      expect(standViews(g.state, p).map((v) => v.reachable)).toEqual(
        p.stands.map((s) => reached.includes(s)),
      );
      // The bots' capacity: every reached stand's blender, whatever its status.
      let all = 0;
      for (const s of reached) all += blenderRate(sc, s.tier);
      expect(installed(botView(g.state, p))).toBe(all);
      // Availability and capacity now: the reached stands that are open, behind a working balancer.
      const lbUp = p.lbs.length === 0 || p.lbs.some((b) => b.failedUntil < 0);
      const open = reached.filter((s) => s.status === 'open');
      expect(isAvailable(p, tick)).toBe(lbUp && open.length > 0);
      const cap = open.reduce((c, s) => c + blenderRate(sc, s.tier), 0);
      expect(effectiveCapacity(sc, p, tick)).toBe(lbUp ? cap : 0);
      // The shop: a stand bought now is reached with a balancer, or when it is the first.
      const buy = shopItems(g.state, p).find((i) => i.id === 'buy-stand')!;
      const newReached = p.lbs.length > 0 || p.stands.length === 0;
      expect(reachableCount(p, p.stands.length + 1) > p.stands.length).toBe(newReached);
      expect(buy.effect.includes('Customers only find your first stand')).toBe(!newReached);
    });
    expect(seen).toBe(5 * (1 + 4 + 16 + 64 + 256));
  });
});
