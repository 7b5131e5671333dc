import type { BotPrices } from './bot.ts';
import type { GameState } from '../sim/state.ts';
import { blenderRate } from '../sim/topology.ts';
import { salePrice, upgradeBasePrice } from '../sim/ledger.ts';
import { MARGIN, nowSeconds, peakDemand, secondsLeft, type Outlook } from './foresight.ts';

/** Bots look this far past the time a purchase takes to work (a build or a blender swap). */
export const LEAD_SECONDS = 10;
/** A stand is sold only when the foreseeable demand leaves it idle with this slack too. */
const SELL_SLACK = 1.2;

/**
 * The room's part of every bot's plan at one moment: prices, and what the foreseeable demand needs over
 * the lead time of each kind of purchase. It depends on the moment only (foresight.ts's Outlook), so it
 * is worked out once per moment for all the bots deciding then, not once per bot per second.
 */
export interface RoomPlan {
  readonly outlook: Outlook;
  readonly secondsLeft: number;
  readonly price: BotPrices;
  /** Cups/s of a new (tier-1) stand: also the smallest blender's, as rates increase with tier. */
  readonly standRate: number;
  /** Capacity needed a build plus LEAD_SECONDS ahead (new stands). */
  readonly forStands: number;
  /** Capacity needed a blender swap plus LEAD_SECONDS ahead (upgrades). */
  readonly forUpgrade: number;
  /** Capacity needed a build and a swap plus LEAD_SECONDS ahead (the hybrid plan, which does both). */
  readonly forBoth: number;
  /** Capacity the demand needs right now. */
  readonly forNow: number;
  /** What a stand bought now costs by the end: its price less the refund on selling, plus rent. */
  readonly standNetCost: number;
  /** Capacity kept, spare stands aside, for the foreseeable demand over the sell horizon. */
  readonly keep: number;
  /** The highest blender tier that is cheaper per cup/s than a new stand (see cheapTier). */
  readonly cheapTier: number;
}

export function roomPlan(state: GameState, o: Outlook): RoomPlan {
  const sc = state.scenario;
  const price: BotPrices = {
    stand: salePrice(state, sc.prices.stand),
    loadBalancer: salePrice(state, sc.prices.loadBalancer),
    notebook: salePrice(state, sc.prices.notebook),
    replica: salePrice(state, sc.prices.notebookReplica),
    // A method, not an arrow: tsx (esbuild keepNames) wraps each arrow made here in a defineProperty
    // call, which was 7% of a 400-player game's CPU when prices were built for every view.
    upgrade(tier) {
      const base = upgradeBasePrice(sc, tier);
      return base === null ? null : salePrice(state, base);
    },
  };
  const left = secondsLeft(state);
  const t = sc.timings;
  const now = nowSeconds(state);
  return {
    outlook: o,
    secondsLeft: left,
    price,
    standRate: blenderRate(sc, 1),
    forStands: needed(state, t.buildSeconds + LEAD_SECONDS),
    forUpgrade: needed(state, t.swapSeconds + LEAD_SECONDS),
    forBoth: needed(state, t.buildSeconds + t.swapSeconds + LEAD_SECONDS),
    forNow: needed(state, 0),
    standNetCost: unrefunded(state, price.stand) + sc.prices.standRentPerSecond * left,
    keep: peakDemand(state, now, now + sellHorizon(state, price)) * MARGIN * SELL_SLACK,
    cheapTier: cheapTier(state, price, left),
  };
}

/** Capacity the demand foreseen over the next `lead` seconds needs (with the margin). */
function needed(state: GameState, lead: number): number {
  const now = nowSeconds(state);
  return peakDemand(state, now, now + lead) * MARGIN;
}

/**
 * The part of a price paid (a stand's, a balancer's) that selling what it bought does not give back.
 * A planning estimate, unrounded, left as it is on purpose: the bots plan with it (their decisions, and
 * the pinned hashes, follow from it); what a sale actually pays, to the cent, is ledger.ts sellRefund.
 */
export function unrefunded(state: GameState, paid: number): number {
  return paid * (1 - state.scenario.prices.sellRefundShare);
}

/**
 * How far ahead a stand must be idle to be worth selling: selling and buying it back later loses the
 * part of its price that is not refunded, keeping it costs rent, so it is kept if it will be needed
 * again before that rent adds up to the loss (with Lemonade Week's prices, 300 s), or before the end.
 */
function sellHorizon(state: GameState, price: BotPrices): number {
  const sc = state.scenario;
  const loss = unrefunded(state, price.stand);
  const rent = sc.prices.standRentPerSecond;
  const left = secondsLeft(state);
  return rent > 0 ? Math.min(left, loss / rent) : left;
}

/**
 * Scale up where it is cheap per cup/s: each blender tier is worth buying while its price per added
 * cup/s is no more than a new stand's (price plus rent to the end, per cup/s). `left`: seconds to go.
 */
function cheapTier(state: GameState, price: BotPrices, left: number): number {
  const sc = state.scenario;
  const standPerCup = (price.stand + sc.prices.standRentPerSecond * left) / blenderRate(sc, 1);
  let tier = 1;
  for (;;) {
    const cost = price.upgrade(tier);
    if (cost === null) return tier;
    if (cost / (blenderRate(sc, tier + 1) - blenderRate(sc, tier)) > standPerCup) return tier;
    tier++;
  }
}
