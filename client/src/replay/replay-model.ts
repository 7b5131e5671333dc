import type { GameLog } from '../../../shared/sim/game-log.ts';
import type { GameState } from '../../../shared/sim/state.ts';
import type { FinalResults } from '../../../shared/protocol/views.ts';
import { collectSeries, type GameSeries } from '../../../shared/replay/series.ts';
import { timelineMarks, type TimelineMark } from '../../../shared/replay/timeline.ts';
import { leaderboard, strategyComparison, type SortKey } from '../../../shared/sim/results.ts';
import { stateHash } from '../../../shared/sim/hash.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { placesIn, type Place } from '../../../shared/views/rank-sharing.ts';
import { shownName } from '../../../shared/views/player-label.ts';

export interface ReplayPlayer {
  id: string;
  name: string;
  bot: string | null;
  removed: boolean;
}

/**
 * Everything a replay screen derives once from a log: the per-second series (charts, debrief), the
 * final state (results), the timeline marks and the players. Built by running the whole game once
 * in the page (about a second for 30 players over 10 minutes).
 */
export class ReplayModel {
  readonly series: GameSeries;
  readonly final: GameState;
  readonly marks: TimelineMark[];
  readonly players: ReplayPlayer[];
  /** The final state's hash, and whether it is the one the log recorded (null: the log has no end). */
  readonly hash: string;
  readonly hashMatches: boolean | null;

  constructor(
    readonly log: GameLog,
    readonly label: string,
    readonly gameId: string,
  ) {
    const { series, final } = collectSeries(log);
    this.series = series;
    this.final = final;
    this.marks = timelineMarks(log, final);
    this.players = final.players.map((p) => ({ id: p.id, name: p.name, bot: p.bot, removed: p.removed }));
    this.hash = stateHash(final);
    this.hashMatches = log.end ? log.end.hash === this.hash : null;
  }

  get endTick(): number {
    return this.log.end?.tick ?? this.final.tick;
  }

  get endSeconds(): number {
    return this.endTick / TICKS_PER_SECOND;
  }

  /** A player's name as the lists show it (a bot's without its "Bot: ", shared/views/player-label.ts). */
  playerName(id: string): string {
    const p = this.players.find((x) => x.id === id);
    return p ? shownName(p) : id;
  }
}

/** The results table of a state (any tick of a replay, or its end) in the shape the live game sends. */
export function resultsOf(state: GameState, sortBy: SortKey, gameId: string, hash: string): FinalResults {
  const board = leaderboard(state, sortBy);
  return { leaderboard: board, strategies: strategyComparison(board), hash, gameId };
}

/**
 * Each player's place by profit at this state (what the live server puts in each student's view): equal
 * profits share a rank, and at the start of a game everyone does.
 */
export function profitPlaces(state: GameState): Map<string, Place> {
  return placesIn(leaderboard(state, 'profit'));
}
