import type { GameLog } from '../../../shared/sim/game-log.ts';
import type { GameState } from '../../../shared/sim/state.ts';
import type { StudentView } from '../../../shared/protocol/views.ts';
import { ReplaySession } from '../../../shared/replay/replay-session.ts';
import { findPlayer } from '../../../shared/sim/apply-command.ts';
import { studentView } from '../../../shared/views/student-view.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { profitPlaces } from './replay-model.ts';

/**
 * The replay's player, without a page: where the replay is, whether it plays and how fast, whom it
 * watches, and the what-if fork that plays in step. The screen (src/screens/replay-view.ts) draws
 * what this says and turns clicks and keys into its methods; the unit tests drive it directly.
 */
export class ReplayPlayback {
  readonly session: ReplaySession;
  playing = false;
  speed = 1;
  /** The what-if business shown beside the original, seeked with it (that business alone: see setFork). */
  private fork: { playerId: string; session: ReplaySession } | null = null;
  /** Ticks earned by elapsed time but not yet played (playback is smooth at any speed). */
  private owed = 0;

  constructor(
    log: GameLog,
    readonly endTick: number,
    public selected: string,
  ) {
    this.session = new ReplaySession(log);
    // The session starts before tick 0's commands (joins, start): apply them.
    this.session.seek(0);
  }

  get tick(): number {
    return this.session.tick;
  }

  get state(): GameState {
    return this.session.current;
  }

  /** Goes to a tick, clamped to the game. */
  seek(tick: number): void {
    this.session.seek(Math.max(0, Math.min(Math.round(tick), this.endTick)));
  }

  /** Steps by a number of seconds (negative: back). */
  stepSeconds(seconds: number): void {
    this.seek(this.tick + seconds * TICKS_PER_SECOND);
  }

  /** Plays or pauses; playing at the end is refused (nothing left to play). */
  setPlaying(on: boolean): void {
    this.playing = on && this.tick < this.endTick;
    this.owed = 0;
  }

  /**
   * Moves the replay on by elapsed page time (seconds) at the chosen speed. Returns whether the tick
   * moved; stops at the end of the game.
   */
  advance(elapsedSeconds: number): boolean {
    if (!this.playing) return false;
    this.owed += elapsedSeconds * TICKS_PER_SECOND * this.speed;
    const n = Math.min(Math.floor(this.owed), this.endTick - this.tick);
    if (n <= 0) {
      if (this.tick >= this.endTick) this.playing = false;
      return false;
    }
    this.owed -= n;
    this.session.advance(n);
    if (this.tick >= this.endTick || this.state.status === 'ended') this.playing = false;
    return true;
  }

  /**
   * Shows a what-if beside the original. Only the forked business differs from the original game, so
   * only it is replayed (a one-business session); the rest of the class is the original's.
   */
  setFork(fork: { log: GameLog; playerId: string } | null): void {
    this.fork = fork && {
      playerId: fork.playerId,
      session: new ReplaySession(fork.log, { playerId: fork.playerId }),
    };
  }

  /** The watched business as a student saw it at this moment (null before they joined). */
  view(): StudentView | null {
    return this.viewOf(this.state, this.selected);
  }

  /** The what-if business at the same moment, ranked among the original class. */
  forkView(): StudentView | null {
    if (!this.fork) return null;
    const id = this.fork.playerId;
    const alone = this.fork.session.seek(this.tick);
    const me = findPlayer(alone, id);
    const cls = this.state;
    const ranked = me ? { ...cls, players: cls.players.map((p) => (p.id === id ? me : p)) } : cls;
    return this.viewOf(alone, id, ranked);
  }

  private viewOf(state: GameState, playerId: string, ranked: GameState = state): StudentView | null {
    const p = findPlayer(state, playerId);
    if (!p) return null;
    return studentView(state, p, {
      paused: !this.playing,
      speed: this.speed,
      hideScores: false,
      place: profitPlaces(ranked).get(playerId) ?? null,
    });
  }
}
