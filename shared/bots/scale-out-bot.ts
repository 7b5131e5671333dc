import type { Bot, BotView } from './bot.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { HEADROOM } from './bot.ts';

/** Scale out: a load balancer first (extra stands are useless without one), then more tier-1 stands. */
export function scaleOutStep({ player, demand, planned, price }: BotView): PlayerCommand[] {
  if (planned >= demand * HEADROOM) return [];
  if (player.lbs.length === 0) {
    return player.cash >= price.loadBalancer
      ? [{ type: 'buy', playerId: player.id, item: 'load-balancer' }]
      : [];
  }
  return player.cash >= price.stand ? [{ type: 'buy', playerId: player.id, item: 'stand' }] : [];
}

export const scaleOutBot: Bot = (view) => scaleOutStep(view);
