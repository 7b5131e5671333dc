import type { BotView } from './bot.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import type { Stand } from '../sim/state.ts';
import { blenderRate } from '../sim/topology.ts';
import { MARGIN, nowSeconds, paysBack, peakDemand, secondsLeft } from './foresight.ts';

/**
 * The planning every reference bot shares: how much capacity the foreseeable demand needs, what a
 * purchase really costs, and which stand to sell when capacity is no longer needed. Each bot's own file
 * decides what to buy.
 */

/** Bots look this far past the time a purchase takes to work (a build or a blender swap). */
export const LEAD_SECONDS = 10;
/** A stand is sold only when the foreseeable demand leaves it idle with this slack too. */
const SELL_SLACK = 1.2;
/** Redundancy is bought only while the game has this long to go (budget rule: it must have time to matter). */
export const REDUNDANCY_MIN_SECONDS_LEFT = 60;
/** At most this many stands bought in one decision (a second), so a sudden jump is met in seconds. */
export const MAX_STANDS_PER_DECISION = 4;

/** Capacity the demand foreseen over the next `lead` seconds needs (with the margin). */
export function needed(view: BotView, lead: number): number {
  const now = nowSeconds(view.state);
  return peakDemand(view.state, now, now + lead) * MARGIN;
}

/**
 * Cups/s of every stand customers can reach, including those being built, swapped or repaired: a
 * broken stand comes back, so bots do not buy a replacement for a stand under repair (redundancy is
 * what covers failures).
 */
export function installed(view: BotView): number {
  const { player, state } = view;
  const stands = player.lbs.length > 0 ? player.stands : player.stands.slice(0, 1);
  let cap = 0;
  for (const s of stands) cap += blenderRate(state.scenario, s.tier);
  return cap;
}

/** What a stand bought now costs by the end: its price less the refund on selling, plus rent. */
export function standNetCost(view: BotView): number {
  const sc = view.state.scenario;
  return (
    view.price.stand * (1 - sc.prices.sellRefundShare) +
    sc.prices.standRentPerSecond * secondsLeft(view.state)
  );
}

/** Does `rate` more cups/s on top of `capacity`, for `netCost`, pay back before the end (budget rule)? */
export function worthIt(view: BotView, capacity: number, rate: number, netCost: number): boolean {
  return paysBack(view.state, capacity, rate, netCost);
}

/**
 * Tier-1 stands to add (behind a balancer) until `capacity` meets `target`, each one paid for in cash
 * and worth its price; `keep` is cash the bot will not spend.
 */
export function buyStands(view: BotView, capacity: number, target: number, keep = 0): PlayerCommand[] {
  const { player, price, state } = view;
  const rate = blenderRate(state.scenario, 1);
  const cmds: PlayerCommand[] = [];
  let cash = player.cash - keep;
  const room = 64 - player.stands.length;
  while (
    capacity < target &&
    cmds.length < Math.min(MAX_STANDS_PER_DECISION, room) &&
    cash >= price.stand &&
    worthIt(view, capacity, rate, standNetCost(view))
  ) {
    cmds.push({ type: 'buy', playerId: player.id, item: 'stand' });
    cash -= price.stand;
    capacity += rate;
  }
  return cmds;
}

/**
 * How far ahead a stand must be idle to be worth selling: selling and buying it back later loses the
 * part of its price that is not refunded, keeping it costs rent, so it is kept if it will be needed
 * again before that rent adds up to the loss (with Lemonade Week's prices, 300 s), or before the end.
 */
export function sellHorizon(view: BotView): number {
  const sc = view.state.scenario;
  const loss = view.price.stand * (1 - sc.prices.sellRefundShare);
  const rent = sc.prices.standRentPerSecond;
  const left = secondsLeft(view.state);
  return rent > 0 ? Math.min(left, loss / rent) : left;
}

/**
 * A stand to sell when the foreseeable demand over the sell horizon does not need it (and `spare`
 * stands beyond the need are kept): the open stand with the fewest people and the smallest blender, so
 * that nobody is turned away and no tab is lost if it can be helped.
 */
export function standToSell(view: BotView, capacity: number, spare: number): PlayerCommand[] {
  const { player, state } = view;
  if (player.lbs.length === 0 || player.stands.length <= 1 + spare) return [];
  const now = nowSeconds(state);
  const later = peakDemand(state, now, now + sellHorizon(view)) * MARGIN * SELL_SLACK;
  let pick: Stand | null = null;
  let pickScore = Infinity;
  for (const s of player.stands) {
    if (s.status !== 'open') continue;
    const score = (s.queue.length + (s.serving ? 1 : 0)) * 100 + s.tier;
    if (score < pickScore) {
      pickScore = score;
      pick = s;
    }
  }
  if (!pick) return [];
  const rate = blenderRate(state.scenario, pick.tier);
  const spareRate = spare * rate;
  if (capacity - rate < later + spareRate) return [];
  return [{ type: 'sell', playerId: player.id, item: 'stand', standId: pick.id }];
}
