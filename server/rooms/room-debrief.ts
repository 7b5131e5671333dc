import type { AwaySummary, PostmortemEntry } from '../../shared/protocol/views.ts';
import { collectSeries, emptySeries, sampleDue, type GameSeries } from '../../shared/replay/series.ts';
import { postmortem } from '../../shared/debrief/postmortem.ts';
import { classHistory, type ClassHistory } from '../../shared/views/class-history.ts';
import { awayMark, awaySummary, type AwayMark } from '../../shared/debrief/away-summary.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';
import type { GameLog } from '../../shared/sim/game-log.ts';
import type { GameState } from '../../shared/sim/state.ts';

/** Rooms up to this many players (students and bots) keep per-second samples for the debrief. */
export const SERIES_MAX_PLAYERS = 300;
/** Shorter absences (a reload) get no "while you were away" summary. */
const AWAY_MIN_TICKS = 3 * TICKS_PER_SECOND;

/**
 * What a room remembers to tell students afterwards: per-second samples of every business for the
 * debrief (taken by the game's observer at the moments a replay sees, so both debriefs agree), and
 * where each absent student's business was when they left.
 */
export class RoomDebrief {
  /**
   * Kept for rooms of up to SERIES_MAX_PLAYERS (a 2,000-student room would hold ~100 MB of samples);
   * bigger rooms get no debrief.
   */
  private readonly series: GameSeries | null;
  private readonly awayMarks = new Map<string, AwayMark>();
  /**
   * False when the samples start mid-game: a room recovered from a checkpoint observes only the ticks
   * after it. Its debriefs then come from folding the student's business alone (cheap: one business).
   */
  private fromStart: boolean | null = null;
  /** Debriefs of a recovered room, computed once each (asked only once the game has ended). */
  private readonly replayed = new Map<string, PostmortemEntry[]>();

  constructor(players: number) {
    this.series = players <= SERIES_MAX_PLAYERS ? emptySeries() : null;
  }

  /** The game's tick observer (RecordedGame). */
  readonly observe = (state: GameState): void => {
    this.fromStart ??= state.tick === 0;
    if (this.series) sampleDue(state, this.series);
  };

  /** The student's postmortem, from the samples taken during the game (or their business's replay). */
  debriefOf(log: GameLog, playerId: string): PostmortemEntry[] | undefined {
    if (!this.series) return undefined;
    if (this.fromStart !== false) return postmortem(log, playerId, this.series).entries;
    let entries = this.replayed.get(playerId);
    if (!entries) {
      entries = postmortem(log, playerId, collectSeries(log, { playerId }).series).entries;
      this.replayed.set(playerId, entries);
    }
    return entries;
  }

  /** The class charts from the start, for a teacher console that reloads (null in a room too big to sample). */
  classHistoryOf(log: GameLog, state: GameState): ClassHistory | null {
    return this.series ? classHistory(this.series, log, state) : null;
  }

  /** Remembers the business as its student's last connection leaves. */
  markAway(state: GameState, playerId: string): void {
    const p = findPlayer(state, playerId);
    if (p && state.status === 'running') this.awayMarks.set(playerId, awayMark(state, p));
  }

  /** "While you were away", once, when the student comes back (null if nothing happened meanwhile). */
  takeAwaySummary(state: GameState, playerId: string): AwaySummary | null {
    const mark = this.awayMarks.get(playerId);
    this.awayMarks.delete(playerId);
    const p = findPlayer(state, playerId);
    // A reload takes a second or two: that is not being away.
    if (!mark || !p || state.tick - mark.tick < AWAY_MIN_TICKS) return null;
    return awaySummary(state, p, mark);
  }
}
