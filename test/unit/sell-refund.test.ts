import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { sellRefund } from '../../shared/sim/ledger.ts';
import { shopItems } from '../../shared/views/shop.ts';
import type { Player } from '../../shared/sim/state.ts';

/** The shop's promise, `$N back` in an item's label, in dollars. */
function promised(label: string): number {
  const m = /\(\$(\d+) back\)/.exec(label);
  if (!m) throw new Error(`no refund in "${label}"`);
  return Number(m[1]);
}

/** What selling the thing a shop item names would give back, by the one rule (ledger.ts sellRefund). */
function paidFor(p: Player, id: string): number {
  switch (id) {
    case 'sell-stand':
      return p.stands[p.stands.length - 1]!.paid;
    case 'sell-load-balancer':
      return (p.lbs.find((b) => b.failedUntil >= 0) ?? p.lbs[p.lbs.length - 1]!).paid;
    case 'sell-notebook-replica':
      return p.replica!.paid;
    case 'sell-notebook':
      return p.notebook!.paid;
  }
  throw new Error(id);
}

describe('the refund on selling has one rule', () => {
  it('the shop promises what the sale pays, over stands of every tier, balancers and the notebook (prices with cents)', () => {
    const scenario = { ...builtInScenario('lemonade-week')!, startingCash: 100_000 };
    const g = new RecordedGame({ scenario, seed: 1, settings: {} });
    g.submit({ type: 'join', playerId: 'a', name: 'Ann' });
    g.submit({ type: 'start' });
    // 37% off: prices (and what was paid) with cents, so the rounding to cents matters.
    g.submit({ type: 'event', event: { kind: 'sale', discountPercent: 37, durationSeconds: 600 } });
    const p = g.state.players[0]!;
    for (let i = 0; i < 4; i++) expect(g.submit({ type: 'buy', playerId: 'a', item: 'stand' }).ok).toBe(true);
    for (const item of ['load-balancer', 'load-balancer', 'notebook', 'notebook-replica'] as const)
      expect(g.submit({ type: 'buy', playerId: 'a', item }).ok).toBe(true);
    // Stand i gets tier i + 1 (stand 0 stays at tier 1): its paid price adds up the upgrades it had.
    for (let guard = 0; p.stands.some((s, i) => s.tier < Math.min(5, i + 1)); guard++) {
      expect(guard).toBeLessThan(10_000);
      p.stands.forEach((s, i) => {
        if (s.status === 'open' && s.tier < i + 1)
          g.submit({ type: 'upgrade', playerId: 'a', standId: s.id });
      });
      g.advance();
    }
    expect(p.stands.map((s) => s.tier)).toEqual([1, 2, 3, 4, 5]);

    const seen: number[] = [];
    for (;;) {
      const sell = shopItems(g.state, p).find((i) => i.id.startsWith('sell-') && i.allowed);
      if (!sell) break;
      const refund = sellRefund(scenario, paidFor(p, sell.id));
      const before = p.m.refunds;
      expect(g.submit({ ...sell.action, playerId: 'a' }).ok).toBe(true);
      const paid = p.m.refunds - before; // (a difference of sums: equal to well under a cent)
      expect(paid).toBeCloseTo(refund, 6); // the sale pays the rule's amount, to the cent
      expect(promised(sell.label)).toBe(Number(refund.toFixed(0))); // and the shop promised it
      seen.push(refund);
    }
    // Four stands of tiers 5..2, two balancers, the replica, the notebook; the first stand stays.
    expect(seen).toHaveLength(8);
    expect(seen.some((x) => !Number.isInteger(x))).toBe(true);
    expect(p.stands).toHaveLength(1);
  });
});
