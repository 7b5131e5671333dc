import type { GameState, Player } from '../sim/state.ts';
import type { BusinessView, StandView } from '../protocol/views.ts';
import { SECONDS_PER_TICK } from '../sim/constants.ts';
import { playerResults } from '../sim/results.ts';
import { remainingWorkAt } from '../sim/stand-service.ts';
import { salePrice, upgradeBasePrice } from '../sim/ledger.ts';
import {
  blenderRate,
  effectiveCapacity,
  installedCapacity,
  isAvailable,
  lbWorking,
  notebookWorking,
  reachableCount,
} from '../sim/topology.ts';

const WAITS_SHOWN = 24;

export function standViews(state: GameState, p: Player): StandView[] {
  const sc = state.scenario;
  const now = state.tick * SECONDS_PER_TICK;
  const reach = reachableCount(p); // the first `reach` stands
  return p.stands.map((s, i) => {
    const reachable = i < reach;
    const rate = blenderRate(sc, s.tier);
    const base = upgradeBasePrice(sc, s.tier);
    return {
      id: s.id,
      number: i + 1,
      tier: s.tier,
      rate,
      status: s.status,
      secondsLeft: s.until >= 0 ? Math.max(0, (s.until - state.tick) * SECONDS_PER_TICK) : 0,
      line: s.queue.length,
      serving: s.serving !== null,
      progress: s.serving ? Math.min(1, Math.max(0, 1 - remainingWorkAt(s, rate, now) / s.serving.work)) : 0,
      served: s.served,
      gaveUp: s.gaveUp,
      arrived: s.arrived,
      balked: s.balked,
      reachable,
      idle: s.status === 'open' && reachable && s.serving === null && s.queue.length === 0,
      waits: s.queue.slice(0, WAITS_SHOWN).map((c) => Math.round((now - c.t) * 10) / 10),
      upgradePrice: base === null ? null : salePrice(state, base),
    };
  });
}

/** One business as its owner sees it. */
export function businessView(state: GameState, p: Player): BusinessView {
  const sc = state.scenario;
  const tick = state.tick;
  let recovering = 0;
  for (const k in p.regularRecovering) if (p.regularRecovering[k]! > tick) recovering++;
  return {
    id: p.id,
    name: p.name,
    cash: Math.round(p.cash * 100) / 100,
    capacity: effectiveCapacity(sc, p, tick),
    installed: installedCapacity(sc, p),
    available: isAvailable(p, tick),
    stateless: p.notebook !== null,
    stands: standViews(state, p),
    loadBalancers: p.lbs.map((b) => ({ up: b.failedUntil < 0 })),
    lbPolicy: p.lbPolicy,
    lbMode: p.lbMode,
    lbFailingOver: p.lbs.length > 0 && !lbWorking(p, tick) && p.lbs.some((b) => b.failedUntil < 0),
    notebook: p.notebook ? { up: p.notebook.failedUntil < 0 && notebookWorking(p, tick) } : null,
    replica: p.replica ? { up: p.replica.failedUntil < 0 } : null,
    regularsRecovering: recovering,
    results: playerResults(state, p),
  };
}
