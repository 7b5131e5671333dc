import type { ClassView, FinalResults } from '../../shared/protocol/views.ts';
import type { RoomSettings } from '../../shared/protocol/payloads.ts';
import type { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { leaderboard, strategyComparison } from '../../shared/sim/results.ts';
import { playerReports } from '../../shared/debrief/player-reports.ts';
import { classNameOf, endedEarly } from '../../shared/sim/game-label.ts';
import { classView } from '../../shared/views/class-view.ts';
import { placesIn, type Place } from '../../shared/views/rank-sharing.ts';
import type { RoomTransport } from './room-transport.ts';
import type { RoomDebrief } from './room-debrief.ts';
import type { StoreWriteError } from '../storage/store-errors.ts';
import { saveTroubleFor } from './save-trouble.ts';
import type { ProcessStudents } from './process-students.ts';

/** Views that did not change are still re-sent this often (they are volatile, so one may have been dropped). */
const UNCHANGED_RESEND_MS = 1000;
/**
 * The class views of all of a process's rooms carry about this many rows a second at most (counted by
 * connected students): a busy process sends each small room's view less often (40 rooms of 50 students
 * sent about 6,700 rows a second, each view every 300 ms; a room of 1,000 sends 1,000). A room alone
 * is never slowed by it: its own 1 ms per player is already as slow...
 */
const CLASS_VIEW_ROWS_PER_SECOND = 2000;
/** ...but never less often than a room of 1,000 has its own (1 ms per player). */
const BUSY_PROCESS_CLASS_VIEW_MS = 1000;

/** The room facts a view shows beside the game. */
export interface RoomFacts {
  roomCode: string;
  gameId: string;
  settings: RoomSettings;
  paused(): boolean;
  speed(): number;
  locked(): boolean;
  /** Why the room cannot save now (null when it can). */
  saveFault(): StoreWriteError | null;
  /** The teacher hides the scores now (mid-game changes included). */
  scoresHidden(): boolean;
  /** The schedule is kept a surprise now (the host setting, or the teacher's choice mid-game). */
  scheduleHidden(): boolean;
  /** The student pressed Leave and has not come back. */
  hasLeft(playerId: string): boolean;
}

export interface ViewCadence {
  classViewIntervalMs: number;
  projectorRows: number;
}

/**
 * The server-built views: the class view (teacher) and its projector cut, each encoded once for all who
 * watch, and the final results. Students build their own screens from the tick stream (room-stream.ts).
 * Views are re-sent only when something they show changed (the version), at their cadence, and at least
 * once a second.
 */
export class RoomViews {
  /** Bumped on every change a screen could show; views are not re-sent when it has not moved. */
  private version = 0;
  private classViewsVersion = -1;
  private lastClassViews = -Infinity;
  /** Each player's place in the latest class ranking. */
  private places = new Map<string, Place>();

  constructor(
    private readonly game: RecordedGame,
    private readonly facts: RoomFacts,
    private readonly transport: RoomTransport,
    private readonly debrief: RoomDebrief,
    private readonly cadence: ViewCadence,
    private readonly processStudents: ProcessStudents,
  ) {}

  /** Something a screen shows changed. */
  changed(): void {
    this.version++;
  }

  /** This player's place in the latest class ranking (the stream's proofs carry it); null when unranked. */
  placeOf = (playerId: string): Place | null => this.places.get(playerId) ?? null;

  private classViewInterval(now: number): number {
    // The class view holds every player; with a big class it is sent less often (it costs O(players):
    // building and encoding it was about 7% of a 1,000-student room's server time at 2 a second).
    const own = Math.max(this.cadence.classViewIntervalMs, this.game.state.players.length * 1);
    const busy = (this.processStudents.total(now) / CLASS_VIEW_ROWS_PER_SECOND) * 1000;
    return Math.max(own, Math.min(BUSY_PROCESS_CLASS_VIEW_MS, busy));
  }

  sendClassViews(now: number, force = false): void {
    if (!force && now - this.lastClassViews < this.classViewInterval(now) * 0.9) return;
    if (!force && this.classViewsVersion === this.version && now - this.lastClassViews < UNCHANGED_RESEND_MS)
      return;
    this.lastClassViews = now;
    this.classViewsVersion = this.version;
    const t = this.transport;
    const view = this.classView();
    // Ranks for the students' views come from the same leaderboard (computed once per class broadcast).
    this.places = placesIn(view.leaderboard);
    if (t.hasTeacher()) t.sendTeacherView(view);
    if (t.hasProjector()) t.sendProjectorView(this.projectorView(view));
  }

  /** The class view's questions about players, made once per room (not per view: see edge.ts on names). */
  private readonly connected = (id: string): boolean => this.transport.isConnected(id);
  private readonly left = (id: string): boolean => this.facts.hasLeft(id);

  classView(): ClassView {
    const fault = this.facts.saveFault();
    return classView(this.game.state, {
      ...(fault ? { cantSave: saveTroubleFor(fault, 'teacher') } : {}),
      roomCode: this.facts.roomCode,
      paused: this.facts.paused(),
      speed: this.facts.speed(),
      locked: this.facts.locked(),
      scoresHidden: this.facts.scoresHidden(),
      scheduleHidden: this.facts.scheduleHidden(),
      connected: this.connected,
      left: this.left,
      leaderboardRows: Number.MAX_SAFE_INTEGER,
    });
  }

  /**
   * The classroom screen: a top list, and while the teacher hides scores no number from which anyone's
   * business could be worked out: no leaderboard, no per-strategy medians (a strategy held by one player
   * is that player's profit), and no class sums of capacity, customers or open businesses (a class of one
   * student plus bots whose play anyone can replay from the scenario gives the student's own figures).
   */
  projectorView(teacherView: ClassView = this.classView()): ClassView {
    // The class reads the projector: the students' words about a room that cannot save.
    const fault = this.facts.saveFault();
    let view = fault ? { ...teacherView, cantSave: saveTroubleFor(fault, 'student') } : teacherView;
    // The class reads the projector too: a schedule kept a surprise is not counted down there.
    if (view.scheduleHidden) view = { ...view, upcoming: [] };
    if (!view.scoresHidden)
      return { ...view, leaderboard: view.leaderboard.slice(0, this.cadence.projectorRows) };
    const { demand, players } = view.totals;
    return {
      ...view,
      leaderboard: [],
      strategies: [],
      // Withheld, not zero: a 0 would read as a fact ("no business open").
      totals: { demand, players, capacity: null, served: null, lost: null, playersAvailable: null },
      scoresHidden: true,
    };
  }

  /** The results of a finished game, with this student's row and debrief (null before the end). */
  finalResults(playerId: string | null): FinalResults | null {
    if (this.game.state.status !== 'ended' || !this.game.log.end) return null;
    const board = leaderboard(this.game.state);
    return this.resultsFor(playerId, board, strategyComparison(board));
  }

  private resultsFor(
    playerId: string | null,
    board: FinalResults['leaderboard'],
    strategies: FinalResults['strategies'],
  ): FinalResults {
    const me = playerId ? board.find((r) => r.id === playerId) : undefined;
    const debrief = me ? this.debrief.debriefOf(this.game.log, me.id) : undefined;
    const log = this.game.log;
    // The class's results (teacher, projector) carry every player's report; a student's only their own.
    const reports =
      playerId === null
        ? playerReports(
            log,
            board.map((r) => r.id),
            (id) => this.debrief.debriefOf(log, id),
          )
        : undefined;
    return {
      leaderboard: board,
      strategies,
      ...(me ? { me } : {}),
      ...(debrief ? { debrief } : {}),
      ...(reports ? { reports } : {}),
      hash: this.game.log.end!.hash,
      gameId: this.facts.gameId,
      className: classNameOf(this.game.log.header),
      endedEarly: endedEarly(this.game.log.header, this.game.log.end!.tick),
    };
  }

  /** The game ended: last class views, then everyone's results (the stream has already said the end). */
  announceEnd(now: number): void {
    const board = leaderboard(this.game.state);
    this.places = placesIn(board);
    this.sendClassViews(now, true);
    const strategies = strategyComparison(board);
    this.transport.sendEnded((playerId) => this.resultsFor(playerId, board, strategies));
  }
}
