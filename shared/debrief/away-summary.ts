import type { GameState, Player } from '../sim/state.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { describeEvent } from '../sim/teacher-events.ts';

/** The few numbers remembered when a student disconnects, to tell them what happened meanwhile. */
export interface AwayMark {
  tick: number;
  cash: number;
  served: number;
  lost: number;
  events: number;
  chaos: number;
}

export interface AwaySummary {
  seconds: number;
  served: number;
  lost: number;
  cashChange: number;
  events: string[];
  text: string;
}

const lostOf = (p: Player): number =>
  p.m.lost.balked + p.m.lost.impatient + p.m.lost.outage + p.m.lost.failover;

export function awayMark(state: GameState, p: Player): AwayMark {
  return {
    tick: state.tick,
    cash: p.cash,
    served: p.m.served,
    lost: lostOf(p),
    events: state.eventHistory.length,
    chaos: state.chaosHistory.length,
  };
}

/** "While you were away": what the business did while its student was disconnected. */
export function awaySummary(state: GameState, p: Player, mark: AwayMark): AwaySummary {
  const seconds = Math.max(0, (state.tick - mark.tick) / TICKS_PER_SECOND);
  const served = p.m.served - mark.served;
  const lost = lostOf(p) - mark.lost;
  const cashChange = Math.round((p.cash - mark.cash) * 100) / 100;
  const events = state.eventHistory.slice(mark.events).map((e) => describeEvent(e.event));
  const chaos = state.chaosHistory.length - mark.chaos;
  if (chaos > 0) events.push(`${chaos} chaos failure${chaos === 1 ? '' : 's'}`);
  const money =
    cashChange >= 0
      ? `your cash went up by $${cashChange.toFixed(0)}`
      : `your cash went down by $${(-cashChange).toFixed(0)}`;
  const text =
    `While you were away (${seconds.toFixed(0)} s): ${served} customer${served === 1 ? '' : 's'} served, ${lost} lost, and ${money}.` +
    (events.length ? ` Meanwhile: ${events.join('; ')}.` : '');
  return { seconds, served, lost, cashChange, events, text };
}
