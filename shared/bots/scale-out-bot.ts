import { affords, NO_COMMANDS, type Bot, type BotView } from './bot.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { buyStands, installed, standToSell, worthIt } from './capacity-plan.ts';
import { unrefunded } from './room-plan.ts';

/**
 * Scale out: a load balancer first (extra stands are useless without one), then tier-1 stands for the
 * demand it can foresee, each one worth its price; stands the next minute does not need are sold.
 * `spare`: stands kept beyond the need, so that one failure does not leave the business short.
 */
export function scaleOutStep(view: BotView, spare = 0): readonly PlayerCommand[] {
  const { player, room } = view;
  const { price, standRate: rate } = room;
  const capacity = installed(view);
  const target = room.forStands + spare * rate;
  if (capacity < target) {
    if (player.lbs.length === 0) {
      const lbNet = unrefunded(view.state, price.loadBalancer);
      return affords(view, price.loadBalancer + price.stand) &&
        worthIt(view, capacity, rate, lbNet + room.standNetCost)
        ? [{ type: 'buy', playerId: player.id, item: 'load-balancer' }]
        : NO_COMMANDS;
    }
    return buyStands(view, capacity, target);
  }
  return standToSell(view, capacity, spare);
}

export const scaleOutBot: Bot = (view) => scaleOutStep(view);
