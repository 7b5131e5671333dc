import { affords, NO_COMMANDS, type Bot } from './bot.ts';
import type { Stand } from '../sim/state.ts';
import { blenderRate, reachableCount } from '../sim/topology.ts';
import { buyStands, REDUNDANCY_MIN_SECONDS_LEFT, secondBalancer, standToSell } from './capacity-plan.ts';

/**
 * Hybrid, the balanced plan: scale up where it is cheap per cup/s, then scale out with redundancy.
 * Each blender tier is bought while its price per added cup/s is no more than a new stand's (the room
 * plan's cheapTier); past that tier, capacity comes from more stands of that tier behind a balancer,
 * with a second balancer (active-active) and one spare stand once there are two.
 */
export const hybridBot: Bot = (view) => {
  const { player, room, state } = view;
  const { price } = room;
  const sc = state.scenario;
  const id = player.id;
  const stands = player.stands;
  const redundant = stands.length >= 2 && player.lbs.length > 0;
  const tier = room.cheapTier;
  const goal = room.forBoth + (redundant ? blenderRate(sc, tier) : 0);
  // The stands customers can reach: their capacity now (installed's), and once every one has the
  // cheap tier (what the plan counts on), in one loop. Loops, not slices and filters: this runs for
  // every hybrid bot every second.
  const reach = reachableCount(player); // the first `reach` stands
  let capacity = 0;
  let planned = 0;
  for (let i = 0; i < reach; i++) {
    const t = stands[i]!.tier;
    capacity += blenderRate(sc, t);
    planned += blenderRate(sc, Math.max(t, tier));
  }
  if (capacity < goal) {
    // Cheap upgrades first, one stand at a time (a swap closes the stand), not the only open one unless
    // it is already overwhelmed.
    let open = 0;
    let small: Stand | null = null;
    for (let i = 0; i < reach; i++) {
      const s = stands[i]!;
      if (s.status !== 'open') continue;
      open++;
      if (small === null && s.tier < tier) small = s;
    }
    let swapping = false;
    for (const s of stands) if (s.status === 'swapping') swapping = true;
    if (small && !swapping && (open > 1 || capacity < room.forNow)) {
      const cost = price.upgrade(small.tier);
      if (cost !== null)
        return affords(view, cost) ? [{ type: 'upgrade', playerId: id, standId: small.id }] : NO_COMMANDS;
    }
  }
  if (planned < goal) {
    if (player.lbs.length === 0) {
      return affords(view, price.loadBalancer + price.stand)
        ? [{ type: 'buy', playerId: id, item: 'load-balancer' }]
        : NO_COMMANDS;
    }
    return buyStands(view, planned, goal).slice(0, 1);
  }
  if (capacity < goal) return NO_COMMANDS;
  if (redundant && player.lbs.length < 2 && room.secondsLeft >= REDUNDANCY_MIN_SECONDS_LEFT)
    return secondBalancer(view, NO_COMMANDS);
  return standToSell(view, capacity, redundant ? 1 : 0);
};
