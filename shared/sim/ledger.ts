import type { GameState, Player, TabBook } from './state.ts';
import type { Scenario } from '../scenarios/schema.ts';

/** Money in and out of a business; every cash change goes through here so the metrics add up. */

export function earn(p: Player, amount: number): void {
  p.cash += amount;
  p.m.revenue += amount;
}

export function spend(p: Player, amount: number): void {
  p.cash -= amount;
  p.m.spent += amount;
}

export function refund(p: Player, amount: number): void {
  p.cash += amount;
  p.m.refunds += amount;
}

/** Price after any running hardware sale, rounded to cents. */
export function salePrice(state: GameState, base: number): number {
  const sale = state.sale && state.sale.untilTick > state.tick ? state.sale.value : 0;
  return Math.round(base * (1 - sale / 100) * 100) / 100;
}

/**
 * What selling a thing bought for `paid` gives back: the scenario's refund share of it, rounded to
 * cents. The one rule for it: the sale pays this (apply-command.ts) and the shop promises it (shop.ts).
 */
export function sellRefund(scenario: Scenario, paid: number): number {
  return Math.round(paid * scenario.prices.sellRefundShare * 100) / 100;
}

export function upgradeBasePrice(scenario: Scenario, fromTier: number): number | null {
  return fromTier >= 1 && fromTier <= 4 ? scenario.prices.blenderUpgrades[fromTier - 1]! : null;
}

/** A served regular adds a cup to their tab; the tab is paid when it reaches the scenario's size. */
export function addToTab(state: GameState, p: Player, tabs: TabBook, regular: number): void {
  const cups = (tabs[regular] ?? 0) + 1;
  const size = state.scenario.customers.tabCups;
  if (cups >= size) {
    tabs[regular] = undefined; // paid (see TabBook)
    earn(p, size * state.scenario.prices.cup);
  } else {
    tabs[regular] = cups;
  }
}

/**
 * Every tab is paid up. Returns the empty book to keep in its place: a fresh object, because one whose
 * keys were deleted keeps the storage it grew to (about 300 bytes a stand, the biggest item of a
 * finished business's heap). Both are `{}` to the hash and to a checkpoint.
 */
export function settleTabs(state: GameState, p: Player, tabs: TabBook): TabBook {
  let cups = 0;
  // Values, not `for...in`, which makes a string of every regular's id and looks each up by it: 60,000
  // books like a 2,000-player week's end took ~45 ms that way, ~25 ms this way (measured apart). Counts
  // of cups: any order adds up to the same integer (and the order is the same: ascending ids).
  for (const owed of Object.values(tabs)) if (owed !== undefined) cups += owed;
  if (cups > 0) earn(p, cups * state.scenario.prices.cup);
  return {};
}

/**
 * Tabs that vanish with a failed stand or notebook: money owed that will never be paid. Returns the
 * empty book to keep in its place (see settleTabs).
 */
export function loseTabs(p: Player, tabs: TabBook): TabBook {
  for (const owed of Object.values(tabs)) if (owed !== undefined) p.m.tabCupsLost += owed; // (see settleTabs)
  return {};
}
