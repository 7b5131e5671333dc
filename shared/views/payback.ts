import type { GameState, Player } from '../sim/state.ts';
import { currentDemand } from '../sim/demand.ts';
import { blenderRate, reachableStands } from '../sim/topology.ts';

/**
 * "Investment pays off later", in numbers a 14-year-old can check: how long a purchase takes to earn
 * its price back at today's demand. Extra capacity only earns where demand exceeds what the business
 * can already serve; a stand also costs rent. The one place the shop's payback words come from.
 */
export function paybackText(
  state: GameState,
  p: Player,
  purchase: { price: number; extraCupsPerSecond: number; extraRentPerSecond: number },
): string {
  if (purchase.extraCupsPerSecond <= 0) return '';
  const sc = state.scenario;
  const demand = currentDemand(state);
  let routed = 0;
  for (const s of reachableStands(p)) routed += blenderRate(sc, s.tier);
  const extraServed = Math.max(
    0,
    Math.min(routed + purchase.extraCupsPerSecond, demand) - Math.min(routed, demand),
  );
  const gain = extraServed * sc.prices.cup - purchase.extraRentPerSecond;
  if (gain <= 0)
    return ` At today's demand (${demand.toFixed(1)} customers/s) it would not pay back yet: you can already serve them all.`;
  return ` At today's demand it pays for itself in ${roughly(purchase.price / gain)}.`;
}

/** Rounded so the words (and the shop sent to students) do not change with every customer. */
function roughly(seconds: number): string {
  if (seconds < 60) return `~${Math.max(10, Math.round(seconds / 10) * 10)} s`;
  if (seconds < 600) return `~${Math.round(seconds / 60)} min`;
  return 'more than 10 minutes';
}
