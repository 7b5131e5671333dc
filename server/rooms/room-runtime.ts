import type { Scenario } from '../../shared/scenarios/schema.ts';
import type { AckError } from '../../shared/protocol/errors.ts';
import type { AwaySummary, ClassView, FinalResults } from '../../shared/protocol/views.ts';
import type { PlayerAction, RoomSettings, TeacherAction } from '../../shared/protocol/payloads.ts';
import type { Command } from '../../shared/sim/commands.ts';
import type { GameStatus } from '../../shared/sim/state.ts';
import { RecordedGame, type TickObserver } from '../../shared/sim/recorded-game.ts';
import type { ClassHistory } from '../../shared/views/class-history.ts';
import { BotTurns, botSeats } from '../../shared/bots/bot-turns.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { Durable, RoomSnapshot, RoomStore, StoredPlayer } from '../storage/store.ts';
import { refusal } from './ack-error.ts';
import {
  CommandQueue,
  ROOM_MOVED,
  SERVER_STOPPING,
  type Applied,
  type CommandOutcome,
} from './command-queue.ts';
import { systemClock, type RoomClock, type TimerHandle } from './room-clock.ts';
import { RoomDebrief } from './room-debrief.ts';
import { RoomJournal, sameSettings } from './room-journal.ts';
import { RoomPace } from './room-pace.ts';
import { RoomRoster, type RosterEntry } from './room-roster.ts';
import type { RoomTransport } from './room-transport.ts';
import { RoomViews } from './room-views.ts';
import { ProcessStudents } from './process-students.ts';
import { RoomStream } from './room-stream.ts';
import type { BusinessSnapshot } from '../../shared/protocol/tick-stream.ts';
import { hashToken, newGameId, newPlayerToken, newToken } from './tokens.ts';
import { StoreWriteError } from '../storage/store-errors.ts';
import { SAVE_RETRY_MS, saveTroubleFor } from './save-trouble.ts';

export type { CommandOutcome } from './command-queue.ts';

/**
 * Where commands enter a room. Today the room runtime in this process; later possibly a room owned by
 * another process, reached through Redis: callers only ever see this shape.
 */
export interface CommandIntake {
  playerAction(playerId: string, action: PlayerAction): Promise<CommandOutcome>;
  teacherAction(action: TeacherAction): Promise<CommandOutcome>;
  join(nickname: string): Promise<JoinOutcome>;
}

/** `returned`: the nickname was a business its student had left; they have it back, with a new token. */
export type JoinOutcome =
  | { ok: true; playerId: string; playerToken: string; tick: number; returned: boolean }
  | { ok: false; error: AckError };

/** What a room needs from the world: each behind a small interface, so tests pass fakes. */
export interface RoomDeps {
  config: ServerConfig;
  store: RoomStore;
  logger: Logger;
  transport: RoomTransport;
  /** The real clock unless a test hands in a fake one. */
  clock?: RoomClock;
  /** Called when the room closes itself (ended long ago, or idle). */
  onClose: (room: RoomRuntime) => void;
  /** The students of all the process's rooms (room-registry.ts): proofs and class views are budgeted per process. */
  processStudents?: ProcessStudents;
}

/** A room as the store left it, ready to carry on (see room-recovery.ts). */
export interface RestoredRoom {
  snapshot: RoomSnapshot;
  players: StoredPlayer[];
  /** How much of the game's log the store holds. */
  written: { commands: number; ended: boolean };
}

/** How a room starts: a new game, or one rebuilt from its log (with the debrief's observer either way). */
export interface RoomInit {
  gameId: string;
  roomCode: string;
  settings: RoomSettings;
  teacherTokenHash: string;
  game: (observe: TickObserver) => RecordedGame;
  restored?: RestoredRoom;
}

const CANT_SAVE_SETTING = refusal(
  'cant-save',
  "The server can't save right now, so this change was not made; try again in a moment.",
);

/** The longest a timer may be set for (setTimeout fires at once past 2^31 - 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ticks a wake-up may run before it yields to the event loop (a fast-forward runs in slices). */
const MAX_WAKE_MS = 30;

/**
 * One room: its game, the fixed-step tick loop, and its lifecycle (create, recover, close), composed of
 * parts named for what they hold: the roster (who may act), the pace (pause, speed, when ticks are due),
 * the command queue (intake, durability, acks), the journal (what is written down), the views (what is
 * published) and the debrief (samples, away marks). Time comes from an injected RoomClock, the store,
 * the transport and its presence from RoomDeps.
 *
 * Commands are applied at a tick boundary: between two ticks the state always sits at one, so a command
 * is applied at the next boundary the event loop reaches (a teacher's: usually within a millisecond; a
 * student's or a join: within the group-commit window, CommandQueue.schedule; commands applied together
 * share one store write). Each accepted command is durable before it is acknowledged with the tick at
 * which it took effect.
 */
export class RoomRuntime implements CommandIntake {
  readonly gameId: string;
  readonly roomCode: string;
  readonly settings: RoomSettings;
  readonly game: RecordedGame;
  private readonly deps: RoomDeps;
  private readonly clock: RoomClock;
  private readonly log: Logger;

  private readonly roster: RoomRoster;
  private readonly pace: RoomPace;
  private readonly debrief: RoomDebrief;
  private readonly journal: RoomJournal;
  private readonly views: RoomViews;
  private readonly stream: RoomStream;
  private readonly commands: CommandQueue;
  private readonly bots: BotTurns;

  private timer: TimerHandle | null = null;
  private disposed = false;
  /**
   * Why the room stopped, when an unexpected error stopped it (an exception inside it, a store failure
   * other than a refusal that may pass): cluster mode counts these, and closes a game that keeps failing.
   */
  failure: unknown = null;
  /** Something students should see at once (a teacher's event or setting): publish after the pump. */
  private urgent = false;
  /**
   * The tick clock has been anchored (rebaseClock) while the game runs. The start is applied a
   * turn before its write is durable, and the clock is anchored only then (the start's `done`): a wake
   * in between counted the ticks due from an anchor of (0, 0), and a room that had waited a minute in
   * its lobby jumped to tick 601 (or ran its whole scenario up to the wake's time cap).
   */
  private anchored = false;
  private lastSnapshot = -Infinity;
  private lastActivity: number;
  /** The teacher hides the scores now (the room's `hideScores` setting until changed mid-game). */
  private scoresHidden: boolean;
  /** The schedule is a surprise now (the room's `hideSchedule` setting until changed mid-game). */
  private scheduleHidden: boolean;
  private endedAt: number | null = null;
  /** The store refused a write that may pass: the game holds still and retries (see save-trouble.ts). */
  private saveFault: { err: StoreWriteError; retryAt: number } | null = null;

  /** Use RoomRuntime.create or recoverRoom (room-recovery.ts). */
  constructor(deps: RoomDeps, init: RoomInit) {
    this.deps = deps;
    // Every timer and soon() of the room's parts runs through the guard: a fault closes this room only.
    const clock = deps.clock ?? systemClock;
    this.clock = {
      now: () => clock.now(),
      wallTime: () => clock.wallTime(),
      setTimer: (fn, ms) => clock.setTimer(() => this.guard(fn), ms),
      clearTimer: (t) => clock.clearTimer(t),
      soon: (fn) => clock.soon(() => this.guard(fn)),
      afterWindow: (fn, ms) => clock.afterWindow(() => this.guard(fn), ms),
    };
    this.gameId = init.gameId;
    this.roomCode = init.roomCode;
    this.settings = init.settings;
    this.log = deps.logger.child({ room: init.roomCode, game: init.gameId });
    this.lastActivity = this.clock.now();
    this.scoresHidden = init.settings.hideScores;
    this.scheduleHidden = init.settings.hideSchedule === true;

    this.debrief = new RoomDebrief(init.settings.maxPlayers + init.settings.bots.length);
    this.game = init.game(this.debrief.observe);
    this.roster = new RoomRoster(init.teacherTokenHash, init.settings);
    this.pace = new RoomPace(deps.config.tickIntervalMs, init.settings.speed);
    this.bots = new BotTurns(this.game);
    const r = init.restored;
    if (r) {
      const bots = new Set(this.game.state.players.filter((p) => p.bot).map((p) => p.id));
      for (const p of r.players) this.roster.restore(p, bots.has(p.playerId));
      this.pace.paused = r.snapshot.paused;
      this.pace.speed = r.snapshot.speed as RoomSettings['speed'];
      this.roster.locked = r.snapshot.locked;
      this.scoresHidden = r.snapshot.scoresHidden;
      this.scheduleHidden = r.snapshot.scheduleHidden ?? this.scheduleHidden;
      if (this.game.state.status === 'ended') this.endedAt = this.clock.now();
    }
    this.journal = new RoomJournal(
      deps.store,
      this.gameId,
      this.game,
      this.clock,
      () => this.snapshot(),
      r?.written,
    );
    const processStudents = deps.processStudents ?? new ProcessStudents();
    this.views = new RoomViews(
      this.game,
      {
        roomCode: this.roomCode,
        gameId: this.gameId,
        settings: this.settings,
        paused: () => this.pace.paused,
        speed: () => this.pace.speed,
        locked: () => this.roster.locked,
        saveFault: () => this.saveFault?.err ?? null,
        scoresHidden: () => this.scoresHidden,
        scheduleHidden: () => this.scheduleHidden,
        hasLeft: (id) => this.roster.get(id)?.left === true,
      },
      deps.transport,
      this.debrief,
      deps.config,
      processStudents,
    );
    this.stream = new RoomStream(
      this.game,
      {
        paused: () => this.pace.paused,
        speed: () => this.pace.speed,
        scoresHidden: () => this.scoresHidden,
        scheduleHidden: () => this.scheduleHidden,
        placeOf: this.views.placeOf,
        saveTrouble: () => (this.saveFault ? saveTroubleFor(this.saveFault.err, 'student') : null),
      },
      deps.transport,
      deps.config.studentViewIntervalMs,
      processStudents,
    );
    this.commands = new CommandQueue(
      this.game,
      this.journal,
      this.clock,
      {
        changed: () => this.views.changed(),
        cantSave: (e) => this.cannotSave(e),
        writeFailed: (e) => {
          // The room stops; a restart rebuilds it from its log.
          this.log.error({ err: e }, 'store write failed; closing the room');
          if (!this.disposed) this.failure = e;
          this.dispose(false);
        },
        ended: () => this.onEnded(),
      },
      () => {
        if (!this.urgent) return;
        this.urgent = false;
        this.stream.publish(this.clock.now(), true);
      },
      deps.config.maxLogCommands,
      deps.config.groupCommitMs,
    );
  }

  /** A new room: the game, its header in the store, and the reference bots. */
  static create(
    deps: RoomDeps,
    opts: { roomCode: string; scenario: Scenario; seed: number; settings: RoomSettings; gameId?: string },
  ): { room: RoomRuntime; teacherToken: string; durable: Durable } {
    const teacherToken = newToken();
    // Cluster mode names the game first: its lease is taken before anything is written.
    const gameId = opts.gameId ?? newGameId();
    const room = new RoomRuntime(deps, {
      gameId,
      roomCode: opts.roomCode,
      settings: opts.settings,
      teacherTokenHash: hashToken(teacherToken),
      // The game id travels with the log, so a replay opened from a file can say which game it is.
      game: (observe) =>
        new RecordedGame(
          { scenario: opts.scenario, seed: opts.seed, settings: { ...opts.settings, gameId } },
          observe,
        ),
    });
    // Bots join as players with tokens nobody holds.
    const seated: StoredPlayer[] = [];
    for (const bot of botSeats(opts.settings.bots)) {
      const r = room.game.submit({ type: 'join', playerId: bot.id, name: bot.name, bot: bot.kind }, true);
      if (!r.ok) throw new Error(`bot ${bot.kind} could not join: ${r.message}`);
      const entry: RosterEntry = {
        id: bot.id,
        name: bot.name,
        tokenHash: hashToken(newToken()),
        kicked: false,
        bot: true,
        left: false,
      };
      room.roster.add(entry);
      seated.push({ playerId: entry.id, name: entry.name, tokenHash: entry.tokenHash, kicked: false });
    }
    const durable = room.journal.createGame(opts.roomCode, room.roster.teacherTokenHash, seated);
    room.log.info({ scenario: opts.scenario.id, settings: opts.settings }, 'room created');
    room.start();
    return { room, teacherToken, durable };
  }

  /** A room rebuilt from the store starts ticking (room-recovery.ts). */
  resume(): void {
    // The game ended (its duration) in the ticks replayed after the last snapshot: write the end down.
    if (this.journal.endPending) {
      const d = this.journal.commit();
      // An asynchronous store's refusal: the end is written again with the next commit.
      if (d instanceof Promise) d.catch((e: unknown) => this.log.warn({ err: e }, 'could not write the end'));
    }
    const s = this.game.state;
    this.log.info(
      { tick: s.tick, status: s.status, commands: this.game.log.commands.length },
      'room recovered',
    );
    this.start();
  }

  // ---- facts --------------------------------------------------------------------------------------

  get status(): GameStatus {
    return this.game.state.status;
  }
  get tick(): number {
    return this.game.state.tick;
  }
  get isPaused(): boolean {
    return this.pace.paused;
  }
  get currentSpeed(): number {
    return this.pace.speed;
  }
  get isLocked(): boolean {
    return this.roster.locked;
  }
  get areScoresHidden(): boolean {
    return this.scoresHidden;
  }
  /** The schedule is kept a surprise now (the host setting, or the teacher's choice mid-game). */
  get isScheduleHidden(): boolean {
    return this.scheduleHidden;
  }
  get playerCount(): number {
    return this.roster.size;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }

  isTeacherToken(token: string): boolean {
    return this.roster.isTeacherToken(token);
  }

  /** The player holding this token, or why not. */
  playerByToken(
    token: string,
  ): { ok: true; playerId: string; name: string } | { ok: false; error: AckError } {
    return this.roster.byPlayerToken(token);
  }

  isActivePlayer(playerId: string): boolean {
    return this.roster.isActivePlayer(playerId);
  }

  snapshot(): RoomSnapshot {
    return {
      tick: this.game.state.tick,
      paused: this.pace.paused,
      speed: this.pace.speed,
      locked: this.roster.locked,
      scoresHidden: this.scoresHidden,
      scheduleHidden: this.scheduleHidden,
    };
  }

  // ---- presence and what students are told --------------------------------------------------------

  /** Something the class view shows changed outside the game (a connection came or went). */
  touch(): void {
    this.views.changed();
    this.lastActivity = this.clock.now();
    // A room nobody was in may be asleep until its expiry: someone came (or left), so look now.
    this.schedule(0);
  }

  /**
   * The student pressed Leave and has no connection left: the teacher sees them gone, and their nickname
   * takes the business back (join). A resume with their token (same device) clears it too.
   */
  markLeft(playerId: string): void {
    const p = this.roster.get(playerId);
    if (!p || p.bot || p.kicked) return;
    p.left = true;
    this.touch();
    this.log.info({ playerId }, 'player left');
  }

  /** A connection of this student is back. */
  markBack(playerId: string): void {
    const p = this.roster.get(playerId);
    if (p?.left) p.left = false;
  }

  /** Remembers the business as its student's last connection leaves. */
  markAway(playerId: string): void {
    this.debrief.markAway(this.game.state, playerId);
  }

  /** "While you were away", once, when the student comes back (null if nothing happened meanwhile). */
  takeAwaySummary(playerId: string): AwaySummary | null {
    return this.debrief.takeAwaySummary(this.game.state, playerId);
  }

  /** This student's business alone, to start (or restart) following the tick stream; null if not playing. */
  businessSnapshot(playerId: string): BusinessSnapshot | null {
    return this.stream.snapshot(playerId);
  }

  classView(): ClassView {
    return this.views.classView();
  }

  /** The class charts since the start (sent to a teacher console as it comes back); null in the lobby. */
  classHistory(): ClassHistory | null {
    if (this.game.state.status === 'lobby') return null;
    return this.debrief.classHistoryOf(this.game.log, this.game.state);
  }

  projectorView(): ClassView {
    return this.views.projectorView();
  }

  finalResults(playerId: string | null): FinalResults | null {
    return this.views.finalResults(playerId);
  }

  // ---- command intake ------------------------------------------------------------------------------

  join(nickname: string): Promise<JoinOutcome> {
    return this.guarded(() => this.admit(nickname));
  }

  playerAction(playerId: string, action: PlayerAction): Promise<CommandOutcome> {
    return this.guarded(() => this.takePlayerAction(playerId, action));
  }

  teacherAction(action: TeacherAction): Promise<CommandOutcome> {
    return this.guarded(() => this.takeTeacherAction(action));
  }

  private admit(nickname: string): Promise<JoinOutcome> {
    const left = this.roster.unclaimed(nickname);
    if (left) return this.reclaim(left);
    const admitted = this.roster.admit(nickname, this.game.state.status);
    if (!admitted.ok) return Promise.resolve(admitted);
    const { player, token, confirm, cancel } = admitted.ticket;
    return this.commands
      .enqueue({
        cmd: { type: 'join', playerId: player.id, name: nickname, bot: null },
        write: this.journal.addPlayer({
          playerId: player.id,
          name: player.name,
          tokenHash: player.tokenHash,
          kicked: false,
        }),
        done: () => {
          confirm();
          this.log.info({ playerId: player.id, name: player.name }, 'player joined');
        },
      })
      .then((o): JoinOutcome => {
        if (!o.ok) {
          cancel();
          return o;
        }
        return { ok: true, playerId: player.id, playerToken: token, tick: o.tick, returned: false };
      });
  }

  /**
   * A nickname whose student left takes the business back: a new token (durable before it is handed
   * out), the old one stops working. Not a game command: the business never left the game.
   */
  private reclaim(p: RosterEntry): Promise<JoinOutcome> {
    if (this.disposed) return Promise.resolve(refusal('unknown-room', 'This room has closed.'));
    const token = newPlayerToken();
    const tokenHash = hashToken(token);
    const failed = (e: unknown): JoinOutcome => {
      this.log.error({ err: e }, 'could not save a returning player');
      return refusal('server-error', 'The server could not save this; try again.');
    };
    const done = (): JoinOutcome => {
      if (this.disposed) return refusal('unknown-room', 'This room has closed.');
      this.roster.reclaim(p, tokenHash);
      this.touch();
      this.log.info({ playerId: p.id }, 'player came back by nickname');
      return { ok: true, playerId: p.id, playerToken: token, tick: this.game.state.tick, returned: true };
    };
    let durable: Durable;
    try {
      durable = this.journal.replacePlayerToken(p.id, tokenHash);
    } catch (e) {
      return Promise.resolve(failed(e));
    }
    // Cluster mode: the new token is handed out only once PostgreSQL has it.
    return durable instanceof Promise ? durable.then(done, failed) : Promise.resolve(done());
  }

  private takePlayerAction(playerId: string, action: PlayerAction): Promise<CommandOutcome> {
    const { commandId: id, ...rest } = action;
    // A retry of a command already seen gets its first outcome, whatever the room is doing now.
    const earlier = id === undefined ? undefined : this.commands.recall(playerId, id);
    if (earlier) return earlier;
    if (!this.roster.isActivePlayer(playerId))
      return Promise.resolve(refusal('kicked', 'You are no longer in this game.'));
    // While the teacher pauses, the shop is closed: the class is listening, not buying.
    if (this.pace.paused && this.game.state.status === 'running')
      return Promise.resolve(
        refusal('game-paused', 'The game is paused; wait for the teacher to resume it.'),
      );
    return this.commands.enqueue({ cmd: { ...rest, playerId } as Command, ...(id ? { id } : {}) });
  }

  private takeTeacherAction(action: TeacherAction): Promise<CommandOutcome> {
    this.lastActivity = this.clock.now();
    // Game commands carry the id into the log; pause, resume, speed and lock are the same when repeated.
    const id = action.commandId === undefined ? {} : { id: action.commandId };
    const earlier = id.id === undefined ? undefined : this.commands.recall('teacher', id.id);
    if (earlier) return earlier;
    switch (action.type) {
      case 'start':
        return this.commands.enqueue({ cmd: { type: 'start' }, ...id, done: () => this.rebaseClock() });
      case 'end':
        return this.commands.enqueue({ cmd: { type: 'end' }, ...id });
      case 'event':
        return this.commands.enqueue({
          cmd: { type: 'event', event: action.event },
          ...id,
          done: () => (this.urgent = true),
        });
      case 'kick': {
        const p = this.roster.get(action.playerId);
        if (!p)
          return Promise.resolve(refusal('unknown-player', `No player ${action.playerId} in this room.`));
        if (p.kicked) return Promise.resolve(refusal('player-removed', `${p.name} was already removed.`));
        return this.commands.enqueue({
          cmd: { type: 'kick', playerId: p.id },
          ...id,
          write: this.journal.kickPlayer(p.id),
          done: () => {
            this.roster.kick(p);
            this.deps.transport.kick(p.id, 'The teacher removed you from this game.');
            this.log.info({ playerId: p.id }, 'player kicked');
          },
        });
      }
      case 'pause':
      case 'resume':
      case 'speed':
      case 'lock':
      case 'scores':
      case 'schedule':
        return Promise.resolve(this.roomSetting(action));
    }
  }

  /**
   * Pause, resume, speed, lock, hidden scores and a surprise schedule belong to the room, not the game:
   * they apply now, in order with commands.
   */
  private roomSetting(
    action: Extract<TeacherAction, { type: 'pause' | 'resume' | 'speed' | 'lock' | 'scores' | 'schedule' }>,
  ): CommandOutcome | Promise<CommandOutcome> {
    if (this.disposed) return refusal('unknown-room', 'This room has closed.');
    // Commands that arrived before this setting take effect before it.
    this.commands.pump();
    if (this.disposed) return refusal('server-error', 'The server could not save this change.');
    if (this.saveFault) return CANT_SAVE_SETTING;
    const before = this.snapshot();
    const s = this.game.state;
    // After the end nothing runs, nobody joins and every score is shown: a setting would change nothing.
    if (s.status === 'ended')
      return refusal(
        'game-ended',
        action.type === 'scores'
          ? 'The game has ended: every score is shown.'
          : 'The game has ended: its settings no longer change anything.',
      );
    if ((action.type === 'pause' || action.type === 'resume') && s.status !== 'running')
      return refusal('game-not-started', `The game is not running.`);
    if (action.type === 'pause') this.pace.paused = true;
    else if (action.type === 'resume') {
      this.pace.paused = false;
      this.rebaseClock();
    } else if (action.type === 'speed') {
      this.pace.speed = action.speed;
      this.rebaseClock();
    } else if (action.type === 'scores') {
      this.scoresHidden = action.hidden;
    } else if (action.type === 'schedule') {
      this.scheduleHidden = action.hidden;
    } else this.roster.locked = action.locked;
    this.views.changed();
    this.urgent = true;
    const after = this.snapshot();
    const undo = (): void => {
      this.pace.paused = before.paused;
      this.pace.speed = before.speed as RoomSettings['speed'];
      this.roster.locked = before.locked;
      this.scoresHidden = before.scoresHidden;
      this.scheduleHidden = before.scheduleHidden ?? this.scheduleHidden;
      this.rebaseClock();
      this.views.changed();
    };
    const saved = this.writeSnapshot(this.clock.now());
    if (saved instanceof Promise) {
      // Cluster mode: acknowledged once PostgreSQL has it. Refused, it is undone unless the room has
      // moved on since (another setting): the next snapshot then writes what the room is.
      this.commands.schedule();
      return saved.then((ok): CommandOutcome => {
        if (ok) {
          this.log.info({ action }, 'room setting');
          return { ok: true, tick: after.tick };
        }
        if (!this.disposed && sameSettings(this.snapshot(), after)) undo();
        return CANT_SAVE_SETTING;
      });
    }
    if (!saved) {
      // Not saved, so not done: the room stays as it was (and now shows that it cannot save).
      undo();
      return CANT_SAVE_SETTING;
    }
    this.log.info({ action }, 'room setting');
    this.commands.schedule();
    return { ok: true, tick: s.tick };
  }

  // ---- the tick loop ----------------------------------------------------------------------------------

  private rebaseClock(): void {
    // Anchored in the lobby (at creation) does not count: the start anchors it again once durable.
    this.anchored = this.game.state.status === 'running';
    const now = this.clock.now();
    this.pace.rebase(now, this.game.state.tick);
    this.stream.realign(now);
    this.schedule(0);
  }

  private start(): void {
    this.rebaseClock();
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(() => this.wake(), Math.max(0, ms));
  }

  private running(): boolean {
    return (
      this.game.state.status === 'running' && !this.pace.paused && this.saveFault === null && this.anchored
    );
  }

  /**
   * One wake-up: the ticks that are due (each: queued commands at its boundary, the bots, one step),
   * then commit and acknowledge, publish, write the snapshot, and sleep until the next tick or view.
   */
  private wake(): void {
    this.timer = null;
    if (this.disposed) return;
    if (this.saveFault) this.retrySaving();
    const s = this.game.state;
    let applied: Applied[] = [];
    if (this.running()) {
      const started = this.clock.now();
      const due = this.pace.dueTick(started);
      while (s.status === 'running' && s.tick < due) {
        applied = applied.concat(this.commands.applyQueued());
        // Bots play only while the log has room (their moves are commands like anyone's).
        if (this.bots.tick(!this.commands.logFull) > 0) this.views.changed();
        this.views.changed();
        if (this.clock.now() - started > MAX_WAKE_MS) break;
      }
      // Too far behind (a fast-forward, or an overloaded machine): the game slows down rather than
      // trying to catch up forever.
      if (s.tick < due) this.rebaseClock();
    }
    applied = applied.concat(this.commands.applyQueued());
    this.commands.commit(applied);
    if (this.disposed) return;

    const now = this.clock.now();
    this.stream.publish(now, false);
    this.views.sendClassViews(now);
    // While the room cannot save, retrySaving writes the snapshot with what is held.
    if (!this.saveFault && now - this.lastSnapshot >= this.deps.config.snapshotIntervalMs)
      this.saveSnapshot(now);
    this.checkExpiry(now);
    if (this.disposed) return;

    // Sleep until the next tick is due, or the next view, whichever is first. Measured after the
    // broadcast: a big room's broadcast takes tens of ms, and sleeping a full interval after it would
    // stretch the view cadence by that much.
    const after = this.clock.now();
    if (this.asleep()) {
      // Nothing moves and nobody looks: no wake-ups until the room expires (or someone comes: touch()).
      this.schedule(Math.min(MAX_TIMER_MS, Math.max(5, this.expiresAt() - after)));
      return;
    }
    let sleep = Math.max(5, this.stream.nextPublishAt() - after);
    if (this.running()) sleep = Math.min(sleep, this.pace.nextTickAt(s.tick) - after);
    this.schedule(sleep);
  }

  /** Not ticking, not retrying a write, and nobody connected: nothing to do until it expires. */
  private asleep(): boolean {
    return !this.running() && this.saveFault === null && !this.someoneHere();
  }

  private someoneHere(): boolean {
    const t = this.deps.transport;
    if (t.hasTeacher() || t.hasProjector()) return true;
    for (const _ of t.connectedPlayers()) return true;
    return false;
  }

  private onEnded(): void {
    const now = this.clock.now();
    this.endedAt = now;
    this.log.info({ tick: this.game.state.tick, hash: this.game.log.end?.hash }, 'game ended');
    // The stream reaches the end before the results do, with every student's proof of the final state.
    this.stream.publish(now, true, true);
    this.views.announceEnd(now);
  }

  // ---- faults ------------------------------------------------------------------------------------------

  /** Runs one entry into the room; an exception closes this room (and only it). */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.failed(e);
    }
  }

  private guarded<T>(fn: () => Promise<T>): Promise<T | { ok: false; error: AckError }> {
    try {
      return fn();
    } catch (e) {
      this.failed(e);
      return Promise.resolve(refusal('server-error', 'This room stopped because of an error.'));
    }
  }

  /**
   * Something inside the room threw: its memory may be half-updated, so it stops now (its log holds
   * everything acknowledged, and it comes back from it at the next start); the other rooms go on.
   */
  private failed(err: unknown): void {
    if (!this.disposed) this.failure = err;
    this.log.error(
      { err, game: this.gameId },
      'room failed with an unexpected error; closing this room only',
    );
    this.dispose(
      false,
      `This room stopped because of an error in the server (game ${this.gameId}). Everything acknowledged ` +
        'is saved: restart the server to bring the room back.',
    );
  }

  // ---- persistence and lifetime -----------------------------------------------------------------------

  /** Writes the room snapshot; false (and the room cannot save) when the store refused it. */
  private saveSnapshot(now: number): boolean {
    // An asynchronous store's refusal is logged by the store and written again at the next snapshot;
    // its commits of commands are what puts the room on hold.
    return this.writeSnapshot(now) !== false;
  }

  /** The snapshot written: true, false when refused now, or (cluster mode) the store's later answer. */
  private writeSnapshot(now: number): boolean | Promise<boolean> {
    this.lastSnapshot = now;
    let d: Durable;
    try {
      d = this.journal.saveRoom();
    } catch (e) {
      if (!(e instanceof StoreWriteError)) throw e;
      this.cannotSave(e);
      return false;
    }
    return d instanceof Promise
      ? d.then(
          () => true,
          (e: unknown) => {
            // The embedded store's faults (its disk: full, I/O, gone) hold the room as a refused
            // synchronous write did; the cluster's (PostgreSQL unreachable) are written again at the
            // next snapshot, and its refused commits of commands are what puts the room on hold.
            if (e instanceof StoreWriteError && e.fault !== 'unreachable' && !this.disposed)
              this.cannotSave(e);
            return false;
          },
        )
      : true;
  }

  /** The store refused a write that may pass: hold still, show it, and retry (not when the file is gone). */
  private cannotSave(err: StoreWriteError): void {
    const now = this.clock.now();
    if (!this.saveFault)
      this.log.error(
        { err, fault: err.fault },
        'store write refused; the room holds still until it can save',
      );
    this.saveFault = { err, retryAt: err.fault === 'gone' ? Infinity : now + SAVE_RETRY_MS };
    this.views.changed();
    this.urgent = true;
  }

  /** Writes what is held (and the snapshot) again; the game carries on from where it held still. */
  private retrySaving(): void {
    const now = this.clock.now();
    if (!this.saveFault || now < this.saveFault.retryAt) return;
    if (!this.commands.retryHeld()) return;
    const fault = this.saveFault;
    this.saveFault = null;
    if (!this.saveSnapshot(now)) return;
    this.log.info({ fault: fault.err.fault }, 'store writes succeed again; the room carries on');
    this.rebaseClock();
    this.views.changed();
    this.urgent = true;
  }

  /** When this room closes by itself if nothing happens before (Infinity: not while it runs). */
  private expiresAt(): number {
    const c = this.deps.config;
    if (this.endedAt !== null) return this.endedAt + c.endedRoomTtlMs;
    if (this.running()) return Infinity;
    const untouched = this.lastActivity + c.idleRoomTtlMs;
    // An empty lobby (a room made and left, or one of many made to take slots) goes much sooner.
    if (this.status === 'lobby' && !this.someoneHere())
      return Math.min(untouched, this.lastActivity + c.lobbyIdleTtlMs);
    return untouched;
  }

  private checkExpiry(now: number): void {
    if (now < this.expiresAt()) return;
    this.log.info({ status: this.status, ended: this.endedAt !== null }, 'room closes (ended or idle)');
    this.dispose(true);
  }

  /**
   * Cluster mode: this process no longer owns the room (its lease was lost, or a write was fenced because a
   * newer owner claimed it). The room stops here without writing anything (the new owner's fence would
   * refuse it) and without closing the game; its connections are dropped at the transport so that each
   * page reconnects and resumes where the room runs now. What was not yet durable was never acknowledged.
   */
  drop(why: string): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.stream.close();
    this.log.warn({ why, tick: this.game.state.tick }, 'room dropped: another process owns it now');
    // Not acknowledged here: retried at the new owner (owner-unavailable), which dedups by command id.
    this.commands.close(ROOM_MOVED);
    this.deps.transport.moved();
    this.deps.onClose(this);
  }

  /**
   * The server stops (Ctrl-C, SIGTERM): the room is written down to come back (dispose(false)), and the
   * commands not yet acknowledged get the retryable `owner-unavailable` (SERVER_STOPPING), not
   * `unknown-room`: in a cluster another process takes the room over at once and the page's retry, with
   * the same command id, lands there.
   */
  stopForHandover(): void {
    this.dispose(false, undefined, SERVER_STOPPING);
  }

  /**
   * Stops the room. close=true: it is finished with (it will not come back after a restart); false: the
   * server is shutting down, and the room comes back when it starts again.
   */
  dispose(close: boolean, message?: string, refuse?: CommandOutcome): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.stream.close();
    this.commands.close(refuse);
    try {
      this.journal.closeRoom(close);
    } catch (e) {
      this.log.error({ err: e }, 'could not record the room closing');
    }
    this.deps.transport.close(message);
    this.deps.onClose(this);
  }
}
