import { performance } from 'node:perf_hooks';
import type { Command } from '../../shared/sim/commands.ts';
import type { Scenario } from '../../shared/scenarios/schema.ts';
import type { AwaySummary, ClassView, FinalResults, PostmortemEntry } from '../../shared/protocol/views.ts';
import { emptySeries, sampleSeries, type GameSeries } from '../../shared/replay/series.ts';
import { postmortem } from '../../shared/debrief/postmortem.ts';
import { awayMark, awaySummary, type AwayMark } from '../../shared/debrief/away-summary.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';
import type { AckError } from '../../shared/protocol/errors.ts';
import type { PlayerAction, RoomSettings, Speed, TeacherAction } from '../../shared/protocol/payloads.ts';
import { RecordedGame, LogReplayError } from '../../shared/sim/recorded-game.ts';
import { botCommands, BOT_NAMES } from '../../shared/bots/index.ts';
import { classView } from '../../shared/views/class-view.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { leaderboard, median, strategyComparison } from '../../shared/sim/results.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { GameOutcome, GameStore, RoomSnapshot, StoredGame } from '../storage/store.ts';
import type { RoomTransport } from './room-transport.ts';
import { StudentViewBuilder } from '../../shared/views/student-view.ts';
import { hashToken, newGameId, newPlayerId, newToken } from './tokens.ts';

/** Rooms up to this many players (students and bots) keep per-second samples for the debrief. */
const SERIES_MAX_PLAYERS = 300;
/** Shorter absences (a reload) get no "while you were away" summary. */
const AWAY_MIN_TICKS = 3 * TICKS_PER_SECOND;

/** The outcome of a command: the tick at which it took effect, or why it did not. */
export type CommandOutcome = { ok: true; tick: number } | { ok: false; error: AckError };

/**
 * Where commands enter a room. Today the room runtime in this process; later possibly a room owned by
 * another process, reached through Redis: callers only ever see this shape.
 */
export interface CommandIntake {
  playerAction(playerId: string, action: PlayerAction): Promise<CommandOutcome>;
  teacherAction(action: TeacherAction): Promise<CommandOutcome>;
  join(nickname: string): Promise<JoinOutcome>;
}

export type JoinOutcome =
  { ok: true; playerId: string; playerToken: string; tick: number } | { ok: false; error: AckError };

interface RoomPlayer {
  id: string;
  name: string;
  tokenHash: string;
  kicked: boolean;
  bot: boolean;
}

interface Pending {
  cmd: Command;
  /** Store writes that belong with the command (in the same transaction). */
  persist?: () => void;
  /** Runs once the command is durable, before the acknowledgement. */
  done?: (tick: number) => void;
  resolve: (o: CommandOutcome) => void;
}

export interface RoomDeps {
  config: ServerConfig;
  store: GameStore;
  logger: Logger;
  transport: RoomTransport;
  /** Called when the room closes itself (ended long ago, or idle). */
  onClose: (room: RoomRuntime) => void;
}

/** Ticks a wake-up may run before it yields to the event loop (a fast-forward runs in slices). */
const MAX_WAKE_MS = 30;
/** Views that did not change are still re-sent this often (they are volatile, so one may have been dropped). */
const UNCHANGED_RESEND_MS = 1000;

function err(code: AckError['code'], message: string): { ok: false; error: AckError } {
  return { ok: false, error: { code, message } };
}

function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en');
}

/**
 * One room: a game kept in step with its log, a fixed-step tick loop, the command intake, and the views.
 *
 * Commands are applied at a tick boundary: between two ticks the state always sits at one, so a command
 * is applied at the next boundary the event loop reaches (usually within a millisecond; commands arriving
 * together share one store transaction). Each accepted command is appended to the store before it is
 * acknowledged with the tick at which it took effect.
 */
export class RoomRuntime implements CommandIntake {
  readonly gameId: string;
  readonly roomCode: string;
  readonly settings: RoomSettings;
  readonly game: RecordedGame;
  private readonly teacherTokenHash: string;
  private readonly deps: RoomDeps;
  private readonly log: Logger;

  private paused = false;
  private speed: Speed;
  private locked = false;

  private readonly players = new Map<string, RoomPlayer>();
  private readonly byToken = new Map<string, RoomPlayer>();
  /** Nicknames taken (including joins in flight), by comparison key. */
  private readonly names = new Set<string>();
  private pendingJoins = 0;

  private queue: Pending[] = [];
  private persistedCommands = 0;
  private endPersisted = false;
  private botsDoneTick = -1;
  private pumpScheduled = false;
  private urgentViews = false;

  // Clock: tick `anchorTick` was due at real time `anchorTime`.
  private anchorTime = 0;
  private anchorTick = 0;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  private lastStudentViews = -Infinity;
  private lastClassViews = -Infinity;
  private lastSnapshot = -Infinity;
  private lastActivity = performance.now();
  /** Bumped on every change a screen could show; views are not re-sent when it has not moved. */
  private version = 0;
  private studentViewsVersion = -1;
  private classViewsVersion = -1;
  private snapshotSaved: RoomSnapshot | null = null;
  private ranks = new Map<string, number>();
  /** What each student's business looked like when their last connection went away. */
  private readonly awayMarks = new Map<string, AwayMark>();
  /**
   * Per-second samples of every business, for the debrief at the end. Kept for rooms of up to
   * SERIES_MAX_PLAYERS (a 2,000-student room would hold ~100 MB of samples); bigger rooms get no debrief.
   */
  private readonly series: GameSeries | null;
  private endedAt: number | null = null;

  private constructor(
    deps: RoomDeps,
    init: {
      gameId: string;
      roomCode: string;
      settings: RoomSettings;
      game: RecordedGame;
      teacherTokenHash: string;
    },
  ) {
    this.deps = deps;
    this.gameId = init.gameId;
    this.roomCode = init.roomCode;
    this.settings = init.settings;
    this.game = init.game;
    this.series =
      init.settings.maxPlayers + init.settings.bots.length <= SERIES_MAX_PLAYERS ? emptySeries() : null;
    this.teacherTokenHash = init.teacherTokenHash;
    this.speed = init.settings.speed;
    this.log = deps.logger.child({ room: init.roomCode, game: init.gameId });
  }

  /** A new room: the game, its header in the store, and the reference bots. */
  static create(
    deps: RoomDeps,
    opts: { roomCode: string; scenario: Scenario; seed: number; settings: RoomSettings },
  ): { room: RoomRuntime; teacherToken: string } {
    const teacherToken = newToken();
    const gameId = newGameId();
    const game = new RecordedGame({
      scenario: opts.scenario,
      seed: opts.seed,
      // The game id travels with the log, so a replay opened from a file can say which game it is.
      settings: { ...opts.settings, gameId },
    });
    const room = new RoomRuntime(deps, {
      gameId,
      roomCode: opts.roomCode,
      settings: opts.settings,
      game,
      teacherTokenHash: hashToken(teacherToken),
    });
    deps.store.batch(() => {
      deps.store.createGame({
        gameId,
        roomCode: opts.roomCode,
        createdAt: Date.now(),
        header: game.log.header,
        teacherTokenHash: room.teacherTokenHash,
        room: room.snapshot(),
      });
      // Bots join as players with tokens nobody holds.
      const counts = new Map<string, number>();
      opts.settings.bots.forEach((kind, i) => {
        const n = (counts.get(kind) ?? 0) + 1;
        counts.set(kind, n);
        const name = n > 1 ? `${BOT_NAMES[kind]} ${n}`.slice(0, 24) : BOT_NAMES[kind];
        const player: RoomPlayer = {
          id: `bot-${i + 1}`,
          name,
          tokenHash: hashToken(newToken()),
          kicked: false,
          bot: true,
        };
        const r = game.submit({ type: 'join', playerId: player.id, name, bot: kind });
        if (!r.ok) throw new Error(`bot ${kind} could not join: ${r.message}`);
        room.addPlayer(player);
        deps.store.addPlayer(gameId, {
          playerId: player.id,
          name,
          tokenHash: player.tokenHash,
          kicked: false,
        });
      });
      room.persistLog();
    });
    room.log.info({ scenario: opts.scenario.id, settings: opts.settings }, 'room created');
    room.start();
    return { room, teacherToken };
  }

  /**
   * Rebuilds a room from its stored log after a restart: replays the commands at their ticks, then
   * advances to the last tick written down, and carries on with the room's saved settings.
   */
  static recover(deps: RoomDeps, stored: StoredGame): RoomRuntime {
    const log = stored.log;
    const game = new RecordedGame(log.header);
    const settings = log.header.settings as RoomSettings;
    const room = new RoomRuntime(deps, {
      gameId: stored.summary.gameId,
      roomCode: stored.roomCode,
      settings,
      game,
      teacherTokenHash: stored.teacherTokenHash,
    });
    const s = game.state;
    let target = stored.room.tick;
    for (let i = 0; i < log.commands.length; i++) {
      const { tick, cmd } = log.commands[i]!;
      while (s.status === 'running' && s.tick < tick) room.advanceOneTick();
      if (s.tick !== tick)
        throw new LogReplayError(`commands.${i}: cannot reach tick ${tick} (at ${s.tick})`);
      const r = game.submit(cmd, true);
      if (!r.ok)
        throw new LogReplayError(`commands.${i} (${cmd.type} at ${tick}) does not apply: ${r.message}`);
      target = Math.max(target, tick);
    }
    if (log.end) target = Math.max(target, log.end.tick);
    while (s.status === 'running' && s.tick < target) room.advanceOneTick();
    if (log.end && game.log.end && game.log.end.hash !== log.end.hash)
      throw new LogReplayError(`replayed game ends with hash ${game.log.end.hash}, log says ${log.end.hash}`);

    const botIds = new Set(s.players.filter((p) => p.bot).map((p) => p.id));
    for (const p of stored.players) {
      room.addPlayer({
        id: p.playerId,
        name: p.name,
        tokenHash: p.tokenHash,
        kicked: p.kicked,
        bot: botIds.has(p.playerId),
      });
    }
    // Bots that already decided at this tick must not decide twice.
    if (
      log.commands.some(
        (e) =>
          e.tick === s.tick && 'playerId' in e.cmd && botIds.has(e.cmd.playerId) && e.cmd.type !== 'join',
      )
    )
      room.botsDoneTick = s.tick;
    room.persistedCommands = game.log.commands.length;
    room.endPersisted = log.end !== undefined;
    if (log.end === undefined && game.log.end) {
      // The game ended (its duration) in the ticks replayed after the last snapshot.
      room.persistLog();
    }
    room.paused = stored.room.paused;
    room.speed = stored.room.speed as Speed;
    room.locked = stored.room.locked;
    if (s.status === 'ended') room.endedAt = performance.now();
    room.log.info({ tick: s.tick, status: s.status, commands: log.commands.length }, 'room recovered');
    room.start();
    return room;
  }

  /** What the game came to, kept with it for comparisons across classes. */
  private outcome(): GameOutcome {
    const board = leaderboard(this.game.state);
    return {
      players: board.length,
      medianProfit: median(board.map((r) => r.profit)),
      strategies: strategyComparison(board),
      top: board.slice(0, 5).map((r) => ({
        name: r.name,
        profit: r.profit,
        strategy: r.strategy,
        badges: r.badges,
        bot: r.bot !== null,
      })),
    };
  }

  /** One tick of the game, sampling the debrief series on each game second (before and at the end). */
  private advanceOneTick(): void {
    const s = this.game.state;
    if (this.series && s.tick % TICKS_PER_SECOND === 0) sampleSeries(s, this.series);
    this.game.advance();
    if (this.series && s.status === 'ended' && s.tick % TICKS_PER_SECOND === 0) sampleSeries(s, this.series);
  }

  /** Remembers the business as its student's last connection leaves. */
  markAway(playerId: string): void {
    const p = findPlayer(this.game.state, playerId);
    if (p && this.game.state.status === 'running') this.awayMarks.set(playerId, awayMark(this.game.state, p));
  }

  /** "While you were away", once, when the student comes back (null if nothing happened meanwhile). */
  takeAwaySummary(playerId: string): AwaySummary | null {
    const mark = this.awayMarks.get(playerId);
    this.awayMarks.delete(playerId);
    const p = findPlayer(this.game.state, playerId);
    // A reload takes a second or two: that is not being away.
    if (!mark || !p || this.game.state.tick - mark.tick < AWAY_MIN_TICKS) return null;
    return awaySummary(this.game.state, p, mark);
  }

  /** The student's postmortem, from the samples taken during the game. */
  private debriefOf(playerId: string): PostmortemEntry[] | undefined {
    if (!this.series) return undefined;
    return postmortem(this.game.log, playerId, this.series).entries;
  }

  private addPlayer(p: RoomPlayer): void {
    this.players.set(p.id, p);
    this.byToken.set(p.tokenHash, p);
    if (!p.kicked) this.names.add(nameKey(p.name));
  }

  // ---- facts --------------------------------------------------------------------------------------

  get status() {
    return this.game.state.status;
  }
  get tick(): number {
    return this.game.state.tick;
  }
  get isPaused(): boolean {
    return this.paused;
  }
  get currentSpeed(): number {
    return this.speed;
  }
  get isLocked(): boolean {
    return this.locked;
  }
  get playerCount(): number {
    return this.players.size;
  }

  isTeacherToken(token: string): boolean {
    return hashToken(token) === this.teacherTokenHash;
  }

  /** The player holding this token, or why not. */
  playerByToken(
    token: string,
  ): { ok: true; playerId: string; name: string } | { ok: false; error: AckError } {
    const p = this.byToken.get(hashToken(token));
    if (!p || p.bot) return err('bad-token', 'This player token does not belong to this room.');
    if (p.kicked) return err('kicked', 'The teacher removed you from this game.');
    return { ok: true, playerId: p.id, name: p.name };
  }

  isActivePlayer(playerId: string): boolean {
    const p = this.players.get(playerId);
    return p !== undefined && !p.kicked && !p.bot;
  }

  // ---- command intake ------------------------------------------------------------------------------

  private enqueue(p: Omit<Pending, 'resolve'>): Promise<CommandOutcome> {
    if (this.disposed) return Promise.resolve(err('unknown-room', 'This room has closed.'));
    return new Promise((resolve) => {
      this.queue.push({ ...p, resolve });
      this.schedulePump();
    });
  }

  join(nickname: string): Promise<JoinOutcome> {
    const s = this.game.state;
    if (s.status === 'ended') return Promise.resolve(err('game-ended', 'This game has ended.'));
    if (this.locked) return Promise.resolve(err('room-locked', 'The teacher has locked this room.'));
    if (s.status === 'running' && !this.settings.lateJoin)
      return Promise.resolve(
        err('late-join-closed', 'This game has started and does not take late players.'),
      );
    let humans = 0;
    for (const p of this.players.values()) if (!p.bot && !p.kicked) humans++;
    if (humans + this.pendingJoins >= this.settings.maxPlayers)
      return Promise.resolve(err('room-full', `This room is full (${this.settings.maxPlayers} players).`));
    const key = nameKey(nickname);
    if (this.names.has(key))
      return Promise.resolve(
        err('nickname-taken', `Someone in this room is already called "${nickname}". Pick another nickname.`),
      );

    this.names.add(key);
    this.pendingJoins++;
    const token = newToken();
    const player: RoomPlayer = {
      id: newPlayerId(),
      name: nickname,
      tokenHash: hashToken(token),
      kicked: false,
      bot: false,
    };
    const release = (): void => {
      this.pendingJoins--;
    };
    return this.enqueue({
      cmd: { type: 'join', playerId: player.id, name: nickname, bot: null },
      persist: () =>
        this.deps.store.addPlayer(this.gameId, {
          playerId: player.id,
          name: player.name,
          tokenHash: player.tokenHash,
          kicked: false,
        }),
      done: () => {
        this.addPlayer(player);
        this.log.info({ playerId: player.id, name: player.name }, 'player joined');
      },
    }).then((o) => {
      release();
      if (!o.ok) {
        this.names.delete(key);
        return o;
      }
      return { ok: true, playerId: player.id, playerToken: token, tick: o.tick };
    });
  }

  playerAction(playerId: string, action: PlayerAction): Promise<CommandOutcome> {
    if (!this.isActivePlayer(playerId))
      return Promise.resolve(err('kicked', 'You are no longer in this game.'));
    // While the teacher pauses, the shop is closed: the class is listening, not buying.
    if (this.paused && this.game.state.status === 'running')
      return Promise.resolve(err('game-paused', 'The game is paused; wait for the teacher to resume it.'));
    return this.enqueue({ cmd: { ...action, playerId } as Command });
  }

  teacherAction(action: TeacherAction): Promise<CommandOutcome> {
    this.lastActivity = performance.now();
    switch (action.type) {
      case 'start':
        return this.enqueue({ cmd: { type: 'start' }, done: () => this.rebaseClock() });
      case 'end':
        return this.enqueue({ cmd: { type: 'end' } });
      case 'event':
        return this.enqueue({
          cmd: { type: 'event', event: action.event },
          done: () => (this.urgentViews = true),
        });
      case 'kick': {
        const p = this.players.get(action.playerId);
        if (!p) return Promise.resolve(err('unknown-player', `No player ${action.playerId} in this room.`));
        if (p.kicked) return Promise.resolve(err('player-removed', `${p.name} was already removed.`));
        return this.enqueue({
          cmd: { type: 'kick', playerId: p.id },
          persist: () => this.deps.store.kickPlayer(this.gameId, p.id),
          done: () => {
            p.kicked = true;
            this.names.delete(nameKey(p.name));
            this.deps.transport.kick(p.id, 'The teacher removed you from this game.');
            this.log.info({ playerId: p.id }, 'player kicked');
          },
        });
      }
      case 'pause':
      case 'resume':
      case 'speed':
      case 'lock':
        return Promise.resolve(this.roomSetting(action));
    }
  }

  /** Pause, resume, speed and lock belong to the room, not the game: they apply now, in order with commands. */
  private roomSetting(
    action: Extract<TeacherAction, { type: 'pause' | 'resume' | 'speed' | 'lock' }>,
  ): CommandOutcome {
    if (this.disposed) return err('unknown-room', 'This room has closed.');
    // Commands that arrived before this setting take effect before it.
    this.pump();
    const s = this.game.state;
    if ((action.type === 'pause' || action.type === 'resume') && s.status !== 'running')
      return err(s.status === 'ended' ? 'game-ended' : 'game-not-started', `The game is not running.`);
    if (action.type === 'pause') this.paused = true;
    else if (action.type === 'resume') {
      this.paused = false;
      this.rebaseClock();
    } else if (action.type === 'speed') {
      this.speed = action.speed;
      this.rebaseClock();
    } else this.locked = action.locked;
    this.version++;
    this.urgentViews = true;
    try {
      this.saveSnapshot(performance.now());
    } catch (e) {
      this.log.error({ err: e }, 'could not save room settings');
      return err('server-error', 'The server could not save this change.');
    }
    this.log.info({ action }, 'room setting');
    this.schedulePump();
    return { ok: true, tick: s.tick };
  }

  // ---- applying and committing ----------------------------------------------------------------------

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      if (this.disposed) return;
      this.pump();
      if (this.urgentViews) {
        this.urgentViews = false;
        this.sendStudentViews(performance.now(), true);
      }
    });
  }

  /** Applies queued commands at the current tick boundary, makes them durable, then acknowledges them. */
  private pump(): void {
    const done = this.applyQueued();
    this.commit(done);
  }

  private applyQueued(): { p: Pending; o: CommandOutcome }[] {
    const out: { p: Pending; o: CommandOutcome }[] = [];
    if (this.queue.length === 0) return out;
    const q = this.queue;
    this.queue = [];
    for (const p of q) {
      const tick = this.game.state.tick;
      const r = this.game.submit(p.cmd, true);
      out.push({
        p,
        o: r.ok ? { ok: true, tick } : { ok: false, error: { code: r.reason, message: r.message } },
      });
      if (r.ok) this.version++;
    }
    return out;
  }

  private persistLog(): void {
    const log = this.game.log;
    if (log.commands.length > this.persistedCommands) {
      this.deps.store.appendCommands(
        this.gameId,
        this.persistedCommands,
        log.commands.slice(this.persistedCommands),
      );
      this.persistedCommands = log.commands.length;
    }
    if (log.end && !this.endPersisted) {
      this.deps.store.endGame(this.gameId, log.end, Date.now(), this.outcome());
      this.deps.store.saveRoom(this.gameId, this.snapshot());
      this.endPersisted = true;
    }
  }

  private commit(applied: { p: Pending; o: CommandOutcome }[]): void {
    const endedNow = this.game.log.end !== undefined && !this.endPersisted;
    try {
      this.deps.store.batch(() => {
        for (const { p, o } of applied) if (o.ok) p.persist?.();
        this.persistLog();
      });
    } catch (e) {
      // Nothing is acknowledged that is not durable. The room stops; a restart rebuilds it from its log.
      this.log.error({ err: e }, 'store write failed; closing the room');
      for (const { p } of applied)
        p.resolve(err('server-error', 'The server could not save this; try again.'));
      this.dispose(false);
      return;
    }
    for (const { p, o } of applied) {
      if (o.ok) p.done?.(o.tick);
      p.resolve(o);
    }
    if (endedNow) this.onEnded();
  }

  // ---- the tick loop ----------------------------------------------------------------------------------

  private tickMs(): number {
    return this.deps.config.tickIntervalMs / this.speed;
  }

  private rebaseClock(): void {
    this.anchorTime = performance.now();
    this.anchorTick = this.game.state.tick;
    if (this.timer) this.schedule(0);
  }

  private start(): void {
    this.rebaseClock();
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.max(0, ms));
  }

  private running(): boolean {
    return this.game.state.status === 'running' && !this.paused;
  }

  private wake(): void {
    this.timer = null;
    if (this.disposed) return;
    const s = this.game.state;
    let applied: { p: Pending; o: CommandOutcome }[] = [];
    if (this.running()) {
      const started = performance.now();
      const tickMs = this.tickMs();
      const due = this.anchorTick + Math.floor((started - this.anchorTime) / tickMs);
      while (s.status === 'running' && s.tick < due) {
        applied = applied.concat(this.applyQueued());
        if (this.botsDoneTick !== s.tick) {
          this.botsDoneTick = s.tick;
          for (const c of botCommands(s)) if (this.game.submit(c, true).ok) this.version++;
        }
        this.advanceOneTick();
        this.version++;
        if (performance.now() - started > MAX_WAKE_MS) break;
      }
      // Too far behind (a fast-forward, or an overloaded machine): the game slows down rather than
      // trying to catch up forever.
      if (s.tick < due) this.rebaseClock();
    }
    applied = applied.concat(this.applyQueued());
    this.commit(applied);
    if (this.disposed) return;

    const now = performance.now();
    this.sendStudentViews(now, false);
    this.sendClassViews(now);
    if (now - this.lastSnapshot >= this.deps.config.snapshotIntervalMs) this.saveSnapshot(now);
    this.checkExpiry(now);
    if (this.disposed) return;

    // Sleep until the next tick is due, or the next view, whichever is first. Measured after the
    // broadcast: a big room's broadcast takes tens of ms, and sleeping a full interval after it would
    // stretch the view cadence by that much.
    const after = performance.now();
    const untilViews = this.deps.config.studentViewIntervalMs - (after - this.lastStudentViews);
    let sleep = Math.max(5, untilViews);
    if (this.running()) {
      const nextTickAt = this.anchorTime + (s.tick + 1 - this.anchorTick) * this.tickMs();
      sleep = Math.min(sleep, nextTickAt - after);
    }
    this.schedule(sleep);
  }

  // ---- views ------------------------------------------------------------------------------------------

  private rankOf = (playerId: string): number | null => this.ranks.get(playerId) ?? null;

  private sendStudentViews(now: number, force: boolean): void {
    const interval = this.deps.config.studentViewIntervalMs;
    // Timers fire a little early or late: a broadcast due within a tenth of the interval goes now, or a
    // 100 ms cadence beside a 100 ms tick would keep missing by a hair and halve to 5 Hz.
    if (!force && now - this.lastStudentViews < interval * 0.9) return;
    // Unchanged views are not re-sent, but at least once a second: a volatile view may have been dropped.
    if (
      !force &&
      this.studentViewsVersion === this.version &&
      now - this.lastStudentViews < UNCHANGED_RESEND_MS
    )
      return;
    this.lastStudentViews = now;
    this.studentViewsVersion = this.version;
    const t = this.deps.transport;
    let builder: StudentViewBuilder | null = null;
    for (const id of t.connectedPlayers()) {
      const p = findPlayer(this.game.state, id);
      if (!p || p.removed) continue;
      builder ??= this.studentViewBuilder();
      t.sendStudentView(id, builder.view(p));
    }
  }

  private studentViewBuilder(): StudentViewBuilder {
    return new StudentViewBuilder(this.game.state, {
      paused: this.paused,
      speed: this.speed,
      hideScores: this.settings.hideScores,
      rankOf: this.rankOf,
    });
  }

  /** One student's view now (sent right after they join or reconnect). */
  sendStudentViewTo(playerId: string): void {
    const p = findPlayer(this.game.state, playerId);
    if (p && !p.removed)
      this.deps.transport.sendStudentView(playerId, this.studentViewBuilder().view(p), true);
  }

  /** Something the class view shows changed outside the game (a connection came or went). */
  touch(): void {
    this.version++;
    this.lastActivity = performance.now();
  }

  private classViewInterval(): number {
    // The class view holds every player; with a big class it is sent less often (it costs O(players)).
    return Math.max(this.deps.config.classViewIntervalMs, this.game.state.players.length * 0.5);
  }

  private sendClassViews(now: number, force = false): void {
    if (!force && now - this.lastClassViews < this.classViewInterval() * 0.9) return;
    if (!force && this.classViewsVersion === this.version && now - this.lastClassViews < UNCHANGED_RESEND_MS)
      return;
    this.lastClassViews = now;
    this.classViewsVersion = this.version;
    const t = this.deps.transport;
    const view = this.classView();
    // Ranks for the students' views come from the same leaderboard (computed once per class broadcast).
    this.ranks = new Map(view.leaderboard.map((r) => [r.id, r.rank]));
    if (t.hasTeacher()) t.sendTeacherView(view);
    if (t.hasProjector()) t.sendProjectorView(this.projectorView(view));
  }

  classView(): ClassView {
    const t = this.deps.transport;
    return classView(this.game.state, {
      roomCode: this.roomCode,
      paused: this.paused,
      speed: this.speed,
      locked: this.locked,
      connected: (id) => t.isConnected(id),
      leaderboardRows: Number.MAX_SAFE_INTEGER,
    });
  }

  /** The classroom screen: a top list, and no scores at all while the teacher hides them. */
  projectorView(view: ClassView = this.classView()): ClassView {
    const hidden = this.settings.hideScores && view.status !== 'ended';
    return { ...view, leaderboard: hidden ? [] : view.leaderboard.slice(0, this.deps.config.projectorRows) };
  }

  finalResults(playerId: string | null): FinalResults | null {
    const s = this.game.state;
    if (s.status !== 'ended' || !this.game.log.end) return null;
    const board = leaderboard(s);
    const me = playerId ? board.find((r) => r.id === playerId) : undefined;
    const debrief = me ? this.debriefOf(me.id) : undefined;
    return {
      leaderboard: board,
      strategies: strategyComparison(board),
      ...(me ? { me } : {}),
      ...(debrief ? { debrief } : {}),
      hash: this.game.log.end.hash,
      gameId: this.gameId,
    };
  }

  private onEnded(): void {
    this.endedAt = performance.now();
    const s = this.game.state;
    this.log.info({ tick: s.tick, hash: this.game.log.end?.hash }, 'game ended');
    const board = leaderboard(s);
    const strategies = strategyComparison(board);
    const hash = this.game.log.end!.hash;
    this.ranks = new Map(board.map((r) => [r.id, r.rank]));
    const now = performance.now();
    this.sendStudentViews(now, true);
    this.sendClassViews(now, true);
    this.deps.transport.sendEnded((playerId) => {
      const me = playerId ? board.find((r) => r.id === playerId) : undefined;
      const debrief = me ? this.debriefOf(me.id) : undefined;
      return {
        leaderboard: board,
        strategies,
        ...(me ? { me } : {}),
        ...(debrief ? { debrief } : {}),
        hash,
        gameId: this.gameId,
      };
    });
  }

  // ---- persistence and lifetime -----------------------------------------------------------------------

  snapshot(): RoomSnapshot {
    return { tick: this.game.state.tick, paused: this.paused, speed: this.speed, locked: this.locked };
  }

  private saveSnapshot(now: number): void {
    this.lastSnapshot = now;
    const snap = this.snapshot();
    const prev = this.snapshotSaved;
    if (
      prev &&
      prev.tick === snap.tick &&
      prev.paused === snap.paused &&
      prev.speed === snap.speed &&
      prev.locked === snap.locked
    )
      return;
    this.deps.store.saveRoom(this.gameId, snap);
    this.snapshotSaved = snap;
  }

  private checkExpiry(now: number): void {
    const c = this.deps.config;
    if (this.endedAt !== null && now - this.endedAt > c.endedRoomTtlMs) {
      this.log.info('ended room closes');
      this.dispose(true);
    } else if (!this.running() && this.endedAt === null && now - this.lastActivity > c.idleRoomTtlMs) {
      this.log.info('idle room closes');
      this.dispose(true);
    }
  }

  /**
   * Stops the room. close=true: it is finished with (it will not come back after a restart); false: the
   * server is shutting down, and the room comes back when it starts again.
   */
  dispose(close: boolean): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const p of this.queue) p.resolve(err('unknown-room', 'This room has closed.'));
    this.queue = [];
    try {
      if (close) this.deps.store.closeRoom(this.gameId);
      else this.deps.store.saveRoom(this.gameId, this.snapshot());
    } catch (e) {
      this.log.error({ err: e }, 'could not record the room closing');
    }
    this.deps.transport.close();
    this.deps.onClose(this);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}
