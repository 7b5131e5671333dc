import type { Bot, BotView } from './bot.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { blenderRate } from '../sim/topology.ts';
import {
  buyStands,
  installed,
  LEAD_SECONDS,
  needed,
  standNetCost,
  standToSell,
  worthIt,
} from './capacity-plan.ts';

/**
 * Scale out: a load balancer first (extra stands are useless without one), then tier-1 stands for the
 * demand it can foresee, each one worth its price; stands the next minute does not need are sold.
 * `spare`: stands kept beyond the need, so that one failure does not leave the business short.
 */
export function scaleOutStep(view: BotView, spare = 0): PlayerCommand[] {
  const { player, price, state } = view;
  const sc = state.scenario;
  const rate = blenderRate(sc, 1);
  const capacity = installed(view);
  const target = needed(view, sc.timings.buildSeconds + LEAD_SECONDS) + spare * rate;
  if (capacity < target) {
    if (player.lbs.length === 0) {
      const lbNet = price.loadBalancer * (1 - sc.prices.sellRefundShare);
      return player.cash >= price.loadBalancer + price.stand &&
        worthIt(view, capacity, rate, lbNet + standNetCost(view))
        ? [{ type: 'buy', playerId: player.id, item: 'load-balancer' }]
        : [];
    }
    return buyStands(view, capacity, target);
  }
  return standToSell(view, capacity, spare);
}

export const scaleOutBot: Bot = (view) => scaleOutStep(view);
