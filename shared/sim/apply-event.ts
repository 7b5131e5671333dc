import type { GameState, Player, Stand } from './state.ts';
import type { TeacherEvent } from './teacher-events.ts';
import { TICKS_PER_SECOND } from './constants.ts';
import { failLoadBalancer, failNotebook, failStand } from './failures.ts';
import { nextFloat } from './rng.ts';

const ticks = (seconds: number): number => Math.max(1, Math.round(seconds * TICKS_PER_SECOND));

/** Stands a stand outage hits, chosen by position so identical businesses are hit identically. */
function standsToFail(p: Player, e: Extract<TeacherEvent, { kind: 'stand-outage' }>): Stand[] {
  const working = p.stands.filter((s) => s.status !== 'failed');
  if (working.length === 0) return [];
  if (e.which === 'biggest') {
    let best = working[0]!;
    for (const s of working) if (s.tier > best.tier) best = s;
    return [best];
  }
  if (e.which === 'index') {
    const s = p.stands[e.index ?? 0];
    return s && s.status !== 'failed' ? [s] : [];
  }
  return working.slice(0, Math.ceil((e.share ?? 0) * working.length));
}

/** Applies a teacher (or scheduled) event to every player at the current tick. */
export function applyTeacherEvent(state: GameState, e: TeacherEvent, source: 'teacher' | 'schedule'): void {
  const tick = state.tick;
  state.eventHistory.push({ tick, event: e, source });
  switch (e.kind) {
    case 'surge':
      state.surges = state.surges.filter((s) => s.untilTick > tick);
      state.surges.push({ value: e.multiplier, untilTick: tick + ticks(e.durationSeconds) });
      return;
    case 'sale':
      state.sale = { value: e.discountPercent, untilTick: tick + ticks(e.durationSeconds) };
      return;
    case 'rent-rise':
      state.rentRise = { value: e.multiplier, untilTick: tick + ticks(e.durationSeconds) };
      return;
    case 'chaos':
      state.chaos = {
        perTick: e.failuresPerMinute / (60 * TICKS_PER_SECOND),
        untilTick: tick + ticks(e.durationSeconds),
        repairTicks: ticks(e.repairSeconds),
      };
      return;
    case 'announce':
      return;
    case 'stand-outage':
      for (const p of state.players) {
        if (p.removed) continue;
        for (const s of standsToFail(p, e)) failStand(state, p, s, ticks(e.repairSeconds));
      }
      return;
    case 'lb-outage':
      for (const p of state.players) if (!p.removed) failLoadBalancer(state, p, ticks(e.repairSeconds));
      return;
    case 'notebook-outage':
      for (const p of state.players) if (!p.removed) failNotebook(state, p, ticks(e.repairSeconds));
      return;
  }
}

/**
 * Chaos strikes: one draw per tick from the game's own chaos stream decides whether something fails;
 * two more decide what. The same draws apply to every player, so two identical businesses fail alike.
 */
/** Returns whether something struck this tick. */
export function applyChaos(state: GameState): boolean {
  const chaos = state.chaos;
  if (!chaos) return false;
  if (chaos.untilTick <= state.tick) {
    state.chaos = null;
    return false;
  }
  const rng = state.chaosRng;
  if (nextFloat(rng) >= chaos.perTick) return false;
  const what = nextFloat(rng);
  const where = nextFloat(rng);
  const target = what < 0.7 ? 'stand' : what < 0.85 ? 'load-balancer' : 'notebook';
  state.chaosHistory.push({ tick: state.tick, target, draw: where });
  for (const p of state.players) {
    if (p.removed) continue;
    if (target === 'stand') {
      const working = p.stands.filter((s) => s.status !== 'failed');
      const s = working[Math.floor(where * working.length)];
      if (s) failStand(state, p, s, chaos.repairTicks);
    } else if (target === 'load-balancer') {
      failLoadBalancer(state, p, chaos.repairTicks);
    } else {
      failNotebook(state, p, chaos.repairTicks);
    }
  }
  return true;
}
