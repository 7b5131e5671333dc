import { affords, NO_COMMANDS, type BotView } from './bot.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import type { Stand } from '../sim/state.ts';
import { blenderRate, reachableCount } from '../sim/topology.ts';
import { paysBack } from './foresight.ts';

/**
 * The planning every reference bot shares: how much capacity a business has, whether a purchase is
 * worth it, and which stand to sell when capacity is no longer needed (the room's part of it is
 * room-plan.ts's). Each bot's own file decides what to buy.
 */

/** Redundancy is bought only while the game has this long to go (budget rule: it must have time to matter). */
export const REDUNDANCY_MIN_SECONDS_LEFT = 60;
/** At most this many stands bought in one decision (a second), so a sudden jump is met in seconds. */
export const MAX_STANDS_PER_DECISION = 4;

/**
 * Cups/s of every stand customers can reach, including those being built, swapped or repaired: a
 * broken stand comes back, so bots do not buy a replacement for a stand under repair (redundancy is
 * what covers failures).
 */
export function installed(view: BotView): number {
  const { player, state } = view;
  const stands = player.stands;
  const reach = reachableCount(player); // the first `reach` stands
  let cap = 0;
  for (let i = 0; i < reach; i++) cap += blenderRate(state.scenario, stands[i]!.tier);
  return cap;
}

/**
 * Redundant balancers: a second one bought and the pair set active-active in the same decision (no
 * failover gap, where active-passive has one of about 2 s), when there is the cash; else `otherwise`.
 */
export function secondBalancer(view: BotView, otherwise: readonly PlayerCommand[]): readonly PlayerCommand[] {
  const { player, room } = view;
  return affords(view, room.price.loadBalancer)
    ? [
        { type: 'buy', playerId: player.id, item: 'load-balancer' },
        { type: 'set-lb-mode', playerId: player.id, mode: 'active-active' },
      ]
    : otherwise;
}

/** Does `rate` more cups/s on top of `capacity`, for `netCost`, pay back before the end (budget rule)? */
export function worthIt(view: BotView, capacity: number, rate: number, netCost: number): boolean {
  return paysBack(view.state, capacity, rate, netCost, view.room.outlook);
}

/** Tier-1 stands to add (behind a balancer) until `capacity` meets `target`, each one paid for in cash and worth its price. */
export function buyStands(view: BotView, capacity: number, target: number): PlayerCommand[] {
  const { player, room } = view;
  const { price, standRate: rate } = room;
  const cmds: PlayerCommand[] = [];
  let cash = view.cash; // (equal to the cash affords tests until a stand is chosen)
  const space = 64 - player.stands.length;
  while (capacity < target && cmds.length < Math.min(MAX_STANDS_PER_DECISION, space)) {
    // The first stand is the bot's own cash tested (affords); the next ones, the cash left after the
    // stands already chosen.
    if (cmds.length === 0 ? !affords(view, price.stand) : cash < price.stand) {
      view.short = true;
      break;
    }
    if (!worthIt(view, capacity, rate, room.standNetCost)) break;
    cmds.push({ type: 'buy', playerId: player.id, item: 'stand' });
    cash -= price.stand;
    capacity += rate;
  }
  return cmds;
}

/**
 * A stand to sell when the foreseeable demand over the sell horizon does not need it (and `spare`
 * stands beyond the need are kept): the open stand with the fewest people and the smallest blender, so
 * that nobody is turned away and no tab is lost if it can be helped. Looking ahead (view.ahead), the
 * lines are not known, so the pick is the smallest open blender: the stand whose sale the test below
 * passes most easily, so if it keeps that one it keeps whichever it would pick.
 */
export function standToSell(view: BotView, capacity: number, spare: number): readonly PlayerCommand[] {
  const { player, room } = view;
  if (player.lbs.length === 0 || player.stands.length <= 1 + spare) return NO_COMMANDS;
  const later = room.keep;
  // Most decisions end here: if the business could not spare even the smallest blender (rates increase
  // with tier), it can spare none, whichever stand would be picked below (rounding is monotonic, so
  // this is the test below with the smallest rate, never a different answer).
  const least = room.standRate;
  if (capacity - least < later + spare * least) return NO_COMMANDS;
  let pick: Stand | null = null;
  let pickScore = Infinity;
  for (const s of player.stands) {
    if (s.status !== 'open') continue;
    const score = view.ahead ? s.tier : (s.queue.length + (s.serving ? 1 : 0)) * 100 + s.tier;
    if (score < pickScore) {
      pickScore = score;
      pick = s;
    }
  }
  if (!pick) return NO_COMMANDS;
  const rate = blenderRate(view.state.scenario, pick.tier);
  const spareRate = spare * rate;
  if (capacity - rate < later + spareRate) return NO_COMMANDS;
  return [{ type: 'sell', playerId: player.id, item: 'stand', standId: pick.id }];
}
