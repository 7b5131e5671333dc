import type { Bot } from './bot.ts';
import { blenderRate } from '../sim/topology.ts';
import { installed, LEAD_SECONDS, needed, worthIt } from './capacity-plan.ts';

/**
 * Scale up only: one stand, ever bigger blenders, until the ceiling (lesson L1). Upgrades ahead of the
 * demand it can foresee (a swap closes the stand for a few seconds), when it has the cash and the
 * upgrade pays for itself before the end; otherwise it saves up.
 */
export const scaleUpBot: Bot = (view) => {
  const { player, price, state } = view;
  const sc = state.scenario;
  const stand = player.stands[0];
  if (!stand || stand.status !== 'open') return [];
  const capacity = installed(view);
  if (capacity >= needed(view, sc.timings.swapSeconds + LEAD_SECONDS)) return [];
  const cost = price.upgrade(stand.tier);
  if (cost === null || player.cash < cost) return [];
  const added = blenderRate(sc, stand.tier + 1) - blenderRate(sc, stand.tier);
  if (!worthIt(view, capacity, added, cost)) return [];
  return [{ type: 'upgrade', playerId: player.id, standId: stand.id }];
};
