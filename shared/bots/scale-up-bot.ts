import type { Bot } from './bot.ts';
import { HEADROOM } from './bot.ts';

/** Scale up only: one stand, ever bigger blenders, until the ceiling. Needs nothing else (lesson L1). */
export const scaleUpBot: Bot = ({ player, demand, planned, price }) => {
  const stand = player.stands[0];
  if (!stand || stand.status !== 'open' || planned >= demand * HEADROOM) return [];
  const cost = price.upgrade(stand.tier);
  if (cost === null || player.cash < cost) return [];
  return [{ type: 'upgrade', playerId: player.id, standId: stand.id }];
};
