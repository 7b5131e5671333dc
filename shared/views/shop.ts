import type { GameState, Player } from '../sim/state.ts';
import type { ShopItem } from '../protocol/views.ts';
import { MAX_LOAD_BALANCERS, MAX_STANDS } from '../sim/constants.ts';
import { salePrice, sellRefund, upgradeBasePrice } from '../sim/ledger.ts';
import { blenderRate, reachableCount } from '../sim/topology.ts';
import { paybackText } from './payback.ts';
import type { Scenario } from '../scenarios/schema.ts';

const STATUS_WORDS = {
  building: 'being built',
  open: 'open',
  swapping: 'swapping its blender',
  failed: 'broken',
};

/**
 * The shop as a student sees it: every purchase with its price, what it does, and why it is not possible
 * yet. The simulation has the final word (a command can still be refused); this only explains.
 * `paused`: the teacher paused the room (a room's pace, not the game's state), when the server refuses
 * every purchase; the shop said "New stand" could be bought and answered the tap with an error.
 */
export function shopItems(state: GameState, p: Player, paused = false): ShopItem[] {
  const sc = state.scenario;
  const running = state.status === 'running';
  const items: ShopItem[] = [];
  const gate = (price: number | null, blocked: string | null): { allowed: boolean; why: string | null } => {
    if (!running)
      return {
        allowed: false,
        why: state.status === 'lobby' ? 'the shop opens when the game starts' : 'the game is over',
      };
    if (paused)
      return { allowed: false, why: 'the game is paused: the shop opens again when the teacher resumes' };
    if (blocked) return { allowed: false, why: blocked };
    if (price !== null && p.cash < price)
      return { allowed: false, why: `not enough cash: needs $${price.toFixed(0)}` };
    return { allowed: true, why: null };
  };

  const standPrice = salePrice(state, sc.prices.stand);
  const reach = reachableCount(p); // the first `reach` stands
  // Would a stand bought now (the next position) be reached?
  const newReached = reachableCount(p, p.stands.length + 1) > p.stands.length;
  items.push({
    id: 'buy-stand',
    label: 'New stand',
    effect: `Scale out: one more stand with a ${blenderRate(sc, 1)} cup/s blender, ready in ${sc.timings.buildSeconds} s. Same price every time, plus rent of $${sc.prices.standRentPerSecond}/s.${!newReached ? ' Customers only find your first stand until you buy a load balancer.' : ''}${paybackText(
      state,
      p,
      {
        price: standPrice,
        extraCupsPerSecond: newReached ? blenderRate(sc, 1) : 0,
        extraRentPerSecond: sc.prices.standRentPerSecond,
      },
    )}`,
    price: standPrice,
    action: { type: 'buy', item: 'stand' },
    ...gate(standPrice, p.stands.length >= MAX_STANDS ? `at most ${MAX_STANDS} stands` : null),
  });

  for (let i = 0; i < p.stands.length; i++) {
    const s = p.stands[i]!;
    const base = upgradeBasePrice(sc, s.tier);
    const price = base === null ? null : salePrice(state, base);
    items.push({
      id: `upgrade-${s.id}`,
      label: `Bigger blender for stand #${i + 1}`,
      effect:
        base === null
          ? `Tier ${s.tier} (${blenderRate(sc, s.tier)} cups/s) is the ceiling: no bigger blender exists.`
          : `Scale up: tier ${s.tier} → ${s.tier + 1}, ${blenderRate(sc, s.tier)} → ${blenderRate(sc, s.tier + 1)} cups/s. The stand closes for ${sc.timings.swapSeconds} s while swapping.${paybackText(
              state,
              p,
              {
                price: price!,
                extraCupsPerSecond: i < reach ? blenderRate(sc, s.tier + 1) - blenderRate(sc, s.tier) : 0,
                extraRentPerSecond: 0,
              },
            )}`,
      price,
      action: { type: 'upgrade', standId: s.id },
      ...gate(
        price,
        base === null
          ? 'this is the biggest blender'
          : s.status !== 'open'
            ? `the stand is ${STATUS_WORDS[s.status]}`
            : null,
      ),
    });
  }

  const lbPrice = salePrice(state, sc.prices.loadBalancer);
  items.push({
    id: 'buy-load-balancer',
    label: p.lbs.length === 0 ? 'Load balancer' : 'Second load balancer',
    effect:
      p.lbs.length === 0
        ? `Spreads customers over all your stands. Adds ${sc.timings.lbHopSeconds} s per customer (a network hop).${paybackText(
            state,
            p,
            { price: lbPrice, extraCupsPerSecond: unroutedCapacity(sc, p), extraRentPerSecond: 0 },
          )}`
        : `Redundancy: if one balancer fails the other carries on (active-active: no gap; active-passive: ${sc.timings.lbFailoverSeconds} s failover).`,
    price: lbPrice,
    action: { type: 'buy', item: 'load-balancer' },
    ...gate(lbPrice, p.lbs.length >= MAX_LOAD_BALANCERS ? 'you already have two load balancers' : null),
  });

  const nbPrice = salePrice(state, sc.prices.notebook);
  items.push({
    id: 'buy-notebook',
    label: 'Shared notebook',
    effect: `Externalise state (like Redis): tabs live in the notebook, so any stand can serve any regular and a broken stand's line moves to the others. Adds ${sc.timings.notebookHopSeconds} s per customer.`,
    price: nbPrice,
    action: { type: 'buy', item: 'notebook' },
    ...gate(nbPrice, p.notebook ? 'you already have the notebook' : null),
  });

  const repPrice = salePrice(state, sc.prices.notebookReplica);
  items.push({
    id: 'buy-notebook-replica',
    label: 'Notebook replica',
    effect: `A second copy of the notebook: if the notebook fails, the replica takes over in ${sc.timings.notebookFailoverSeconds} s and no tab is lost.`,
    price: repPrice,
    action: { type: 'buy', item: 'notebook-replica' },
    ...gate(
      repPrice,
      !p.notebook ? 'needs the shared notebook first' : p.replica ? 'you already have a replica' : null,
    ),
  });
  items.push(...sellItems(state, p, gate));
  return items;
}

/**
 * Selling: the newest stand, a balancer, the replica, the notebook. Only what the business has; the
 * refund is the sale's own (ledger.ts sellRefund), shown in whole dollars. Price is null: selling costs
 * nothing.
 */
function sellItems(
  state: GameState,
  p: Player,
  gate: (price: number | null, blocked: string | null) => { allowed: boolean; why: string | null },
): ShopItem[] {
  const back = (paid: number): string => `$${sellRefund(state.scenario, paid).toFixed(0)} back`;
  const items: ShopItem[] = [];
  const newest = p.stands[p.stands.length - 1];
  if (newest && p.stands.length > 1) {
    items.push({
      id: 'sell-stand',
      label: `Sell stand #${p.stands.length} (${back(newest.paid)})`,
      effect: `Its rent stops. ${p.notebook ? 'Its line moves to your other stands.' : 'Its line and its regulars’ tabs are lost (your stands are stateful).'}`,
      price: null,
      action: { type: 'sell', item: 'stand', standId: newest.id },
      ...gate(null, null),
    });
  }
  if (p.lbs.length > 0) {
    const lb = p.lbs.find((b) => b.failedUntil >= 0) ?? p.lbs[p.lbs.length - 1]!;
    items.push({
      id: 'sell-load-balancer',
      label: `Sell a load balancer (${back(lb.paid)})`,
      effect:
        p.lbs.length > 1
          ? 'Back to one balancer: a single point of failure again.'
          : 'Without a balancer, customers only find your first stand.',
      price: null,
      action: { type: 'sell', item: 'load-balancer' },
      ...gate(null, null),
    });
  }
  if (p.replica) {
    items.push({
      id: 'sell-notebook-replica',
      label: `Sell the notebook replica (${back(p.replica.paid)})`,
      effect: 'The notebook becomes a single point of failure again.',
      price: null,
      action: { type: 'sell', item: 'notebook-replica' },
      ...gate(null, null),
    });
  }
  if (p.notebook) {
    items.push({
      id: 'sell-notebook',
      label: `Sell the shared notebook (${back(p.notebook.paid)})`,
      effect: 'Regulars settle their tabs; stands keep state again (sticky sessions, stateful failover).',
      price: null,
      action: { type: 'sell', item: 'notebook' },
      ...gate(null, p.replica ? 'sell the replica first' : null),
    });
  }
  return items;
}

/** Cups per second bought but unreachable (extra stands without a balancer): what a balancer unlocks. */
function unroutedCapacity(sc: Scenario, p: Player): number {
  let cap = 0;
  for (let i = reachableCount(p); i < p.stands.length; i++) cap += blenderRate(sc, p.stands[i]!.tier);
  return cap;
}
