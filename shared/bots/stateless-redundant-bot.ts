import type { Bot } from './bot.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { scaleOutStep } from './scale-out-bot.ts';

/**
 * Scale out, stateless and redundant: once the business has a balancer and a second stand, it buys the
 * shared notebook (stands become interchangeable), a second balancer (active-active) and a notebook
 * replica, so no single failure stops it (lessons L8, L9). Capacity comes first when it is short.
 */
export const statelessRedundantBot: Bot = (view) => {
  const { player, demand, planned, price } = view;
  const id = player.id;
  const short = planned < demand;
  if (short || player.lbs.length === 0 || player.stands.length < 2) {
    const grow = scaleOutStep(view);
    if (grow.length > 0 || player.lbs.length === 0 || player.stands.length < 2) return grow;
  }
  const cmds: PlayerCommand[] = [];
  if (!player.notebook) {
    if (player.cash >= price.notebook) cmds.push({ type: 'buy', playerId: id, item: 'notebook' });
  } else if (player.lbs.length < 2) {
    if (player.cash >= price.loadBalancer) {
      cmds.push({ type: 'buy', playerId: id, item: 'load-balancer' });
      cmds.push({ type: 'set-lb-mode', playerId: id, mode: 'active-active' });
    }
  } else if (!player.replica) {
    if (player.cash >= price.replica) cmds.push({ type: 'buy', playerId: id, item: 'notebook-replica' });
  } else {
    return scaleOutStep(view);
  }
  return cmds;
};
