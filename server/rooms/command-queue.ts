import type { AckError } from '../../shared/protocol/errors.ts';
import type { Command } from '../../shared/sim/commands.ts';
import type { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { refusal } from './ack-error.ts';
import type { RoomClock } from './room-clock.ts';
import type { RoomJournal } from './room-journal.ts';
import { RetriedCommands, senderOf } from './retried-commands.ts';
import { StoreWriteError } from '../storage/store-errors.ts';

const CANT_SAVE = refusal(
  'cant-save',
  "The server can't save right now; nothing is lost. Try again in a moment.",
);

const CLOSED = refusal('unknown-room', 'This room has closed.');

/**
 * Cluster mode: the room was dropped here (its lease lost, a write fenced) and runs, or soon will, on
 * another process. What was not acknowledged gets this retryable code: the page sends it again with the
 * same command id, and the new owner, which rebuilt the log, applies it once or answers what it did.
 */
export const ROOM_MOVED = refusal(
  'owner-unavailable',
  'This room is moving to another server; nothing acknowledged is lost. Try again in a moment.',
);

/**
 * The server is stopping (Ctrl-C, SIGTERM): the room is written down and comes back, on another process
 * of a cluster at once, or here when the server starts again. What was not acknowledged gets the same
 * retryable code as a room that moved, never `unknown-room`: the page sends it again with the same id.
 */
export const SERVER_STOPPING = refusal(
  'owner-unavailable',
  'The server is stopping and this room moves on; nothing acknowledged is lost. Try again in a moment.',
);

/** The outcome of a command: the tick at which it took effect, or why it did not. */
export type CommandOutcome = { ok: true; tick: number } | { ok: false; error: AckError };

/** A command waiting for the next tick boundary, with what goes with it. */
export interface QueuedCommand {
  cmd: Command;
  /** The client's id for it (see RetriedCommands): logged with it, and a retry gets the same outcome. */
  id?: string;
  /** A store write that belongs with the command (in the same write as its log entry). */
  write?: () => void;
  /** Runs once the command is durable, before the acknowledgement. */
  done?: (tick: number) => void;
}

interface Waiting extends QueuedCommand {
  resolve: (o: CommandOutcome) => void;
}

/** A command applied to the game, not yet durable, so not yet acknowledged. */
export interface Applied {
  c: Waiting;
  o: CommandOutcome;
}

/** Commands applied but not durable because the store refused them for now: written again by retryHeld. */
interface Held {
  applied: Applied[];
  writes: (() => void)[];
  endedNow: boolean;
}

export interface CommandQueueHooks {
  /** A command changed the game (the views have something new). */
  changed(): void;
  /**
   * The store refused a write for a reason that may pass (StoreWriteError: disk full, I/O, file gone):
   * the applied commands are held, unacknowledged, until retryHeld() writes them; meanwhile new ones are
   * refused with `cant-save`.
   */
  cantSave(err: StoreWriteError): void;
  /** Any other write failure: nothing was acknowledged, and the room must stop. */
  writeFailed(err: unknown): void;
  /** The game's end was just made durable. */
  ended(): void;
}

/**
 * Command intake, in three steps: queue (any time), apply at a tick boundary (in arrival order, each
 * at the tick the game is at), and commit: make the applied commands and their writes durable through
 * the journal, then acknowledge each with its tick. The acknowledgement waits for the durability step,
 * which may be asynchronous (RoomJournal's Durable), so a store that commits per tick fits unchanged.
 */
export class CommandQueue {
  private queue: Waiting[] = [];
  /** A pump is scheduled: at once, or at the end of the group-commit window. */
  private scheduled: 'now' | 'window' | null = null;
  private closed = false;
  /** What whatever comes or still waits after close() gets. */
  private closedWith: CommandOutcome = CLOSED;
  private held: Held | null = null;
  private readonly retried: RetriedCommands;

  constructor(
    private readonly game: RecordedGame,
    private readonly journal: RoomJournal,
    private readonly clock: RoomClock,
    private readonly hooks: CommandQueueHooks,
    /** Runs after a pump scheduled by an arrival (the room sends urgent views then). */
    private readonly afterPump: () => void,
    /** The most commands the game's log may hold (MAX_LOG_COMMANDS): a game cannot fill the disk. */
    private readonly maxCommands = Infinity,
    /**
     * How long a student's command may wait for others to share its store write (ServerConfig
     * groupCommitMs; 0: each arrival is written on its own). A synchronous=FULL commit waits for the
     * disk, and the event loop waits with it: in a busy room that wait, once per command, was the limit.
     */
    private readonly windowMs = 40,
  ) {
    this.retried = RetriedCommands.fromLog(game.log.commands);
  }

  /** What became of a command id this sender used before (pending or settled), if it is remembered. */
  recall(sender: string, id: string): Promise<CommandOutcome> | undefined {
    return this.retried.recall(sender, id);
  }

  /** Queues a command for the next tick boundary; resolves once it is durable (or refused). */
  enqueue(c: QueuedCommand): Promise<CommandOutcome> {
    const sender = senderOf(c.cmd);
    if (c.id !== undefined) {
      const earlier = this.retried.recall(sender, c.id);
      if (earlier) return earlier;
    }
    if (this.closed) return Promise.resolve(this.closedWith);
    if (this.held) return Promise.resolve(CANT_SAVE);
    if (this.logFull && c.cmd.type !== 'end')
      return Promise.resolve(
        refusal(
          'log-full',
          `This game has reached its limit of ${this.maxCommands} commands and takes no more; the teacher can end it.`,
        ),
      );
    const outcome = new Promise<CommandOutcome>((resolve) => {
      this.queue.push({ ...c, resolve });
      // The teacher's commands (start, end, events, kicks) go at once: the class waits for them. A
      // student's command or a join waits for the group-commit window, sharing its write with others.
      this.schedule(c.cmd.type !== 'join' && senderOf(c.cmd) === 'teacher');
    });
    if (c.id !== undefined) this.retried.remember(sender, c.id, outcome);
    return outcome;
  }

  /**
   * A boundary for commands that arrived between ticks: `now`, once the work in hand is done (usually
   * within a millisecond); otherwise at the end of the group-commit window (RoomClock.afterWindow), or
   * the tick loop's next boundary if that comes first (it applies and commits what is queued). Either
   * way every command queued by then is applied at the tick the game is at and made durable in one store
   * write: with a write that waits for the disk, a busy room's commits per second stay bounded.
   */
  schedule(now = true): void {
    if (this.scheduled === 'now' || (!now && this.scheduled === 'window')) return;
    const mine = (this.scheduled = now ? 'now' : 'window');
    // Anonymous callbacks: a named one costs a defineProperty per call under tsx (see edge.ts).
    if (now) this.clock.soon(() => this.scheduledPump(mine));
    else this.clock.afterWindow(() => this.scheduledPump(mine), this.windowMs);
  }

  private scheduledPump(mine: 'now' | 'window'): void {
    // Superseded (a `now` came after this window) or already done (pumped meanwhile): nothing to do.
    if (this.scheduled !== mine) return;
    this.scheduled = null;
    if (this.closed) return;
    this.pump();
    this.afterPump();
  }

  /** Applies what is queued at the current tick boundary, makes it durable, then acknowledges it. */
  pump(): void {
    this.commit(this.applyQueued());
  }

  /** Applies what is queued, at the tick the game is at now. */
  applyQueued(): Applied[] {
    const out: Applied[] = [];
    if (this.queue.length === 0) return out;
    // What was waiting for the window is taken now: the window's pump has nothing left to do.
    if (this.scheduled === 'window') this.scheduled = null;
    const q = this.queue;
    this.queue = [];
    for (const c of q) {
      if (this.held) {
        c.resolve(CANT_SAVE);
        continue;
      }
      const tick = this.game.state.tick;
      const r = this.game.submit(c.cmd, true, c.id);
      out.push({
        c,
        o: r.ok ? { ok: true, tick } : { ok: false, error: { code: r.reason, message: r.message } },
      });
      if (r.ok) this.hooks.changed();
    }
    return out;
  }

  /** Makes the applied commands (and the log's new entries, and its end) durable, then acknowledges them. */
  commit(applied: Applied[]): void {
    // While writes are held nothing new is applied (see applyQueued), so there is nothing to add.
    if (this.held) return;
    const writes: (() => void)[] = [];
    for (const { c, o } of applied) if (o.ok && c.write) writes.push(c.write);
    this.write({ applied, writes, endedNow: this.journal.endPending });
  }

  /** The log (with what is queued) is at its cap: only the teacher's end is taken. */
  get logFull(): boolean {
    return this.game.log.commands.length + this.queue.length >= this.maxCommands;
  }

  /** Whether commands are held because the store refused them (the room shows "can't save"). */
  get holding(): boolean {
    return this.held !== null;
  }

  /** Writes the held commands again; true once they are durable (and acknowledged) or there were none. */
  retryHeld(): boolean {
    const h = this.held;
    if (!h) return true;
    this.held = null;
    this.write(h);
    return this.held === null;
  }

  private write(h: Held): void {
    let durable: ReturnType<RoomJournal['commit']>;
    try {
      durable = this.journal.commit(h.writes, h.applied.length > 0);
    } catch (e) {
      this.failed(h, e);
      return;
    }
    if (durable instanceof Promise)
      durable.then(
        () => {
          this.acknowledge(h);
          // What the acknowledgements made urgent (a teacher's event) goes out now, not at the next
          // tick message: the pump's own afterPump ran before the write had committed.
          if (!this.closed) this.afterPump();
        },
        (e: unknown) => this.failed(h, e),
      );
    else this.acknowledge(h);
  }

  private acknowledge(h: Held): void {
    for (const { c, o } of h.applied) {
      if (o.ok) c.done?.(o.tick);
      c.resolve(o);
    }
    if (h.endedNow) this.hooks.ended();
  }

  private failed(h: Held, e: unknown): void {
    // The room was dropped while this write was in flight (a dropped room's writes are refused, the
    // fence refuses them), or the server is stopping: its commands get what everything else close()
    // refused got. A room closed otherwise keeps `server-error` below, retryable too.
    if (this.closed && (this.closedWith === ROOM_MOVED || this.closedWith === SERVER_STOPPING)) {
      for (const { c } of h.applied) c.resolve(this.closedWith);
      return;
    }
    if (e instanceof StoreWriteError) {
      // Applied in memory, not durable, not acknowledged: held until the store takes them. An
      // asynchronous store (cluster mode) may refuse several commits that were in flight together:
      // each joins what is already held, so every one of them is acknowledged once written.
      const was = this.held;
      this.held = was
        ? {
            applied: [...was.applied, ...h.applied],
            writes: [...was.writes, ...h.writes],
            endedNow: was.endedNow || h.endedNow,
          }
        : h;
      this.hooks.cantSave(e);
      return;
    }
    // Nothing is acknowledged that is not durable.
    for (const { c } of h.applied)
      c.resolve(refusal('server-error', 'The server could not save this; try again.'));
    this.hooks.writeFailed(e);
  }

  /**
   * The room closed: whatever still waits is refused, with `unknown-room`, or with ROOM_MOVED when the
   * room was dropped to another process, or SERVER_STOPPING; so is a write still in flight when it fails.
   */
  close(why: CommandOutcome = CLOSED): void {
    this.closed = true;
    this.closedWith = why;
    // Held commands were never acknowledged: the client retries them (same id) once the room is back.
    if (this.held) for (const { c } of this.held.applied) c.resolve(why);
    this.held = null;
    for (const c of this.queue) c.resolve(why);
    this.queue = [];
  }
}
