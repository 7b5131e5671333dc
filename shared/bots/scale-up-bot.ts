import { affords, NO_COMMANDS, type Bot } from './bot.ts';
import { blenderRate } from '../sim/topology.ts';
import { installed, worthIt } from './capacity-plan.ts';

/**
 * Scale up only: one stand, ever bigger blenders, until the ceiling (lesson L1). Upgrades ahead of the
 * demand it can foresee (a swap closes the stand for a few seconds), when it has the cash and the
 * upgrade pays for itself before the end; otherwise it saves up.
 */
export const scaleUpBot: Bot = (view) => {
  const { player, room, state } = view;
  const sc = state.scenario;
  const stand = player.stands[0];
  if (!stand || stand.status !== 'open') return NO_COMMANDS;
  const capacity = installed(view);
  if (capacity >= room.forUpgrade) return NO_COMMANDS;
  const cost = room.price.upgrade(stand.tier);
  if (cost === null || !affords(view, cost)) return NO_COMMANDS;
  const added = blenderRate(sc, stand.tier + 1) - blenderRate(sc, stand.tier);
  if (!worthIt(view, capacity, added, cost)) return NO_COMMANDS;
  return [{ type: 'upgrade', playerId: player.id, standId: stand.id }];
};
