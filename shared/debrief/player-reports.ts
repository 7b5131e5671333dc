import type { GameLog } from '../sim/game-log.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { timelineMarks } from '../replay/timeline.ts';
import type { PostmortemEntry } from './postmortem.ts';

/** One student's report for the teacher's results page and CSV: what they bought when, and their debrief. */
export interface PlayerReport {
  id: string;
  /** Purchases and settings, in the replay timeline's words, at the game second they took effect. */
  purchases: { second: number; text: string }[];
  /** The postmortem (absent in rooms too big for the server's per-second samples). */
  debrief?: PostmortemEntry[];
}

/** Every player's report, in the order given; `debriefOf` gives the postmortem when it can. */
export function playerReports(
  log: GameLog,
  playerIds: readonly string[],
  debriefOf: (playerId: string) => PostmortemEntry[] | undefined,
): PlayerReport[] {
  const purchases = new Map<string, PlayerReport['purchases']>();
  for (const m of timelineMarks(log))
    if (m.kind === 'purchase' && m.playerId)
      (purchases.get(m.playerId) ?? purchases.set(m.playerId, []).get(m.playerId)!).push({
        second: m.tick / TICKS_PER_SECOND,
        text: m.text,
      });
  return playerIds.map((id) => {
    const debrief = debriefOf(id);
    return { id, purchases: purchases.get(id) ?? [], ...(debrief ? { debrief } : {}) };
  });
}
