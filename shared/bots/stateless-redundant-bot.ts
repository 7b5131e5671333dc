import { affords, type Bot } from './bot.ts';
import { scaleOutStep } from './scale-out-bot.ts';
import { REDUNDANCY_MIN_SECONDS_LEFT, secondBalancer } from './capacity-plan.ts';

/**
 * Scale out, stateless and redundant: once the business has a balancer and a second stand, it buys the
 * shared notebook (stands become interchangeable), a second balancer (active-active) and a notebook
 * replica, and keeps one stand more than the demand needs, so no single failure stops it or leaves it
 * short (lessons L8, L9). Capacity comes first when it is short.
 */
export const statelessRedundantBot: Bot = (view) => {
  const { player, room } = view;
  const { price } = room;
  const id = player.id;
  const ready = player.lbs.length > 0 && player.stands.length >= 2;
  const grow = scaleOutStep(view, ready ? 1 : 0);
  if (grow.length > 0 && (grow[0]!.type !== 'sell' || !ready)) return grow;
  if (!ready || room.secondsLeft < REDUNDANCY_MIN_SECONDS_LEFT) return grow;
  if (!player.notebook)
    return affords(view, price.notebook) ? [{ type: 'buy', playerId: id, item: 'notebook' }] : grow;
  if (player.lbs.length < 2) return secondBalancer(view, grow);
  if (!player.replica)
    return affords(view, price.replica) ? [{ type: 'buy', playerId: id, item: 'notebook-replica' }] : grow;
  return grow;
};
