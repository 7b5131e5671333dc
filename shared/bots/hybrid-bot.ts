import type { Bot } from './bot.ts';
import { HEADROOM } from './bot.ts';

/**
 * Hybrid: stands with mid-sized blenders. Upgrades a stand while a tier is still cheap per cup (up to
 * tier 3), otherwise adds a stand behind a load balancer.
 */
export const HYBRID_MAX_TIER = 3;

export const hybridBot: Bot = ({ player, demand, planned, price }) => {
  if (planned >= demand * HEADROOM) return [];
  const id = player.id;
  const small = player.stands.find((s) => s.status === 'open' && s.tier < HYBRID_MAX_TIER);
  if (small && (player.lbs.length > 0 || small === player.stands[0])) {
    const cost = price.upgrade(small.tier);
    if (cost !== null && player.cash >= cost) return [{ type: 'upgrade', playerId: id, standId: small.id }];
    return [];
  }
  if (player.lbs.length === 0) {
    return player.cash >= price.loadBalancer ? [{ type: 'buy', playerId: id, item: 'load-balancer' }] : [];
  }
  return player.cash >= price.stand ? [{ type: 'buy', playerId: id, item: 'stand' }] : [];
};
