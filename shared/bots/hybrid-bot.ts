import type { Bot, BotView } from './bot.ts';
import { blenderRate } from '../sim/topology.ts';
import { secondsLeft } from './foresight.ts';
import {
  buyStands,
  installed,
  LEAD_SECONDS,
  needed,
  REDUNDANCY_MIN_SECONDS_LEFT,
  standToSell,
} from './capacity-plan.ts';

/**
 * Hybrid, the balanced plan: scale up where it is cheap per cup/s, then scale out with redundancy.
 * Each blender tier is bought while its price per added cup/s is no more than a new stand's (price plus
 * rent to the end, per cup/s); past that tier, capacity comes from more stands of that tier behind a
 * balancer, with a second balancer (active-active) and one spare stand once there are two.
 */
export function cheapTier(view: BotView): number {
  const sc = view.state.scenario;
  const standPerCup =
    (view.price.stand + sc.prices.standRentPerSecond * secondsLeft(view.state)) / blenderRate(sc, 1);
  let tier = 1;
  for (;;) {
    const cost = view.price.upgrade(tier);
    if (cost === null) return tier;
    if (cost / (blenderRate(sc, tier + 1) - blenderRate(sc, tier)) > standPerCup) return tier;
    tier++;
  }
}

export const hybridBot: Bot = (view) => {
  const { player, price, state } = view;
  const sc = state.scenario;
  const id = player.id;
  const capacity = installed(view);
  const redundant = player.stands.length >= 2 && player.lbs.length > 0;
  const tier = cheapTier(view);
  const goal =
    needed(view, sc.timings.buildSeconds + sc.timings.swapSeconds + LEAD_SECONDS) +
    (redundant ? blenderRate(sc, tier) : 0);
  const reachable = player.lbs.length > 0 ? player.stands : player.stands.slice(0, 1);
  // Capacity once every stand has the cheap tier: what the plan counts on.
  let planned = 0;
  for (const s of reachable) planned += blenderRate(sc, Math.max(s.tier, tier));
  if (capacity < goal) {
    // Cheap upgrades first, one stand at a time (a swap closes the stand), not the only open one unless
    // it is already overwhelmed.
    const open = reachable.filter((s) => s.status === 'open');
    const small = open.find((s) => s.tier < tier);
    const swapping = player.stands.some((s) => s.status === 'swapping');
    if (small && !swapping && (open.length > 1 || capacity < needed(view, 0))) {
      const cost = price.upgrade(small.tier);
      if (cost !== null)
        return player.cash >= cost ? [{ type: 'upgrade', playerId: id, standId: small.id }] : [];
    }
  }
  if (planned < goal) {
    if (player.lbs.length === 0) {
      return player.cash >= price.loadBalancer + price.stand
        ? [{ type: 'buy', playerId: id, item: 'load-balancer' }]
        : [];
    }
    return buyStands(view, planned, goal).slice(0, 1);
  }
  if (capacity < goal) return [];
  if (redundant && player.lbs.length < 2 && secondsLeft(state) >= REDUNDANCY_MIN_SECONDS_LEFT) {
    return player.cash >= price.loadBalancer
      ? [
          { type: 'buy', playerId: id, item: 'load-balancer' },
          { type: 'set-lb-mode', playerId: id, mode: 'active-active' },
        ]
      : [];
  }
  return standToSell(view, capacity, redundant ? 1 : 0);
};
