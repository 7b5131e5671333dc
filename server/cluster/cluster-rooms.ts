import type { Logger } from '../logging.ts';
import type { RoomOwnership, RoomRegistry } from '../rooms/room-registry.ts';
import type { RoomRuntime } from '../rooms/room-runtime.ts';
import type { FencedError } from '../storage/postgres-errors.ts';
import type { ClusterGameStore } from './cluster-game-store.ts';
import type { HeldLease, RoomLeases } from './room-leases.ts';
import { LeaseKeeper, takeRoom } from './room-ownership.ts';

/** A takeover, as the new owner saw it (printed, logged, and read by the tests). */
export interface Takeover {
  gameId: string;
  roomCode: string;
  epoch: number;
  /** The tick the room resumed at: where its durable log and snapshot were, never caught up to wall time. */
  tick: number;
  /** Since this process last saw another owner hold the room (null: never saw it held). */
  ownerlessMs: number | null;
  /**
   * When the last owner's lease expired, as its PTTL foretold, or when its owner said it gave it back (ms
   * since the epoch; null: not seen).
   */
  leaseExpiredAt: number | null;
  /** When this process began taking the room (ms since the epoch). */
  beganAt: number;
  /** When the lease was taken and the fence raised (ms since the epoch). */
  claimedAt: number;
  /** When the game (players, checkpoint, log) was read from PostgreSQL (ms since the epoch). */
  loadedAt: number;
  /** When the room was rebuilt and its tick loop running again (ms since the epoch). */
  restoredAt: number;
  /** Reading the game from PostgreSQL and rebuilding the room (beganAt to restoredAt). */
  rebuildMs: number;
  /** The checkpoint the rebuild started from (null: the whole log was folded). */
  checkpointTick: number | null;
  /** Log entries in the game's log. */
  commands: number;
}

/**
 * After this many unexpected failures of a room (RoomRuntime.failure, or a rebuild that threw), on
 * whichever processes, the game is closed rather than taken over again, as the embedded server closes a
 * game it cannot rebuild: otherwise every process in turn would take it, fail, and give it back.
 */
export const MAX_ROOM_FAILURES = 3;

/**
 * The rooms this process owns in a cluster: it takes a new room's lease before the game is written,
 * keeps the lease of every room it runs (LeaseKeeper), drops a room whose lease is lost or whose write
 * was fenced, and watches the open games (PostgreSQL's `live`) for rooms whose owner's lease lapsed,
 * which it takes over in the one safe order (takeRoom: lease, then fence, then read) and rebuilds from
 * the latest checkpoint plus the log after it. The rebuilt room resumes at the tick its log and snapshot
 * reached: the game clock does not run while a room has no owner.
 */
export class ClusterRooms implements RoomOwnership {
  private readonly keepers = new Map<string, LeaseKeeper>();
  /** Leases taken and not yet given to a keeper (a room being created or rebuilt). */
  private readonly claimed = new Map<string, HeldLease>();
  /** When this process last saw each open room held by someone else. */
  private readonly seenHeld = new Map<string, number>();
  private endReleaseWatch: (() => void) | null = null;
  /** Rooms whose lease lapses before the next look: when it expires, and the attempt timed for then. */
  private readonly expiring = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private registry: RoomRegistry | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private stopping = false;
  /** Leases being given back (after their room's last writes). */
  private readonly releasing = new Set<Promise<void>>();
  /** Takeovers made by this process (newest last). */
  readonly takeovers: Takeover[] = [];

  constructor(
    private readonly leases: RoomLeases,
    private readonly store: ClusterGameStore,
    private readonly logger: Logger,
    private readonly maxFailures = MAX_ROOM_FAILURES,
  ) {}

  /** How often this process looks at the open games for rooms without an owner. */
  private get lookEvery(): number {
    return Math.max(50, Math.floor(this.leases.leaseMs / 3));
  }

  /**
   * Starts watching for rooms to take over: a look every third of a lease, and an attempt timed for the
   * moment a lease seen lapsing expires (its PTTL), so a dead owner's room is claimed within a few ms of
   * its expiry rather than up to a third of a lease later. A live owner renews six times a lease, so its
   * lease never has less than a look's time left and costs no timer.
   */
  watch(registry: RoomRegistry): void {
    this.registry = registry;
    this.timer = setInterval(() => void this.poll(), this.lookEvery);
    void this.poll();
    // A lease given back by a process that stops cleanly is taken at once, not at the next look.
    this.leases
      .watchReleases((gameId) => this.released(gameId))
      .then(
        (end) => (this.stopping ? end() : (this.endReleaseWatch = end)),
        (e: unknown) => this.logger.warn({ err: e }, 'could not watch for released leases'),
      );
  }

  private released(gameId: string): void {
    if (this.stopping || this.keepers.has(gameId) || this.claimed.has(gameId)) return;
    if (this.registry?.byGameId(gameId)) return;
    this.takeOver(gameId, Date.now()).catch((e: unknown) =>
      this.logger.debug({ err: e, game: gameId }, 'takeover of a released room failed'),
    );
  }

  async claimNew(gameId: string): Promise<void> {
    const lease = await this.leases.acquire(gameId, 0);
    if (!lease) throw new Error(`the lease of new game ${gameId} is held already`);
    this.keep(gameId, lease);
  }

  /**
   * A lease just taken is renewed from now on, also while its room is being created or rebuilt: a big
   * room's rebuild on a busy process may take longer than a lease, and a lease left to lapse meanwhile
   * is taken by another process (or this one again) while the room is still being built here.
   */
  private keep(gameId: string, lease: HeldLease): LeaseKeeper {
    const keeper: LeaseKeeper = new LeaseKeeper(this.leases, lease, (why) =>
      this.lose(gameId, `lease ${why}`, keeper),
    );
    this.keepers.set(gameId, keeper);
    this.claimed.set(gameId, lease);
    this.store.hold(gameId, lease.epoch);
    return keeper;
  }

  /** A lease kept for a room that did not start (or lost): no more renewals, nor writes of the game. */
  private unkeep(gameId: string): Promise<void> {
    this.keepers.get(gameId)?.stop();
    this.keepers.delete(gameId);
    this.claimed.delete(gameId);
    return this.store.release(gameId);
  }

  started(room: RoomRuntime): void {
    if (!this.claimed.has(room.gameId) || !this.keepers.has(room.gameId))
      throw new Error(`no lease taken for game ${room.gameId}`);
    this.claimed.delete(room.gameId);
  }

  stopped(room: RoomRuntime): void {
    const keeper = this.keepers.get(room.gameId);
    const lease = keeper?.lease ?? this.claimed.get(room.gameId);
    keeper?.stop();
    this.keepers.delete(room.gameId);
    this.claimed.delete(room.gameId);
    // The room's last writes (its snapshot, or its close) go first; then another process may take it,
    // after the failure (if it failed) was counted, so that the next owner sees it.
    const settled = this.store.release(room.gameId);
    if (!lease) return;
    const failure = room.failure;
    const p = settled
      .then(() => (failure === null ? undefined : this.countFailure(room.gameId, room.roomCode, failure)))
      .then(() => this.leases.release(lease))
      .catch(() => undefined)
      .finally(() => this.releasing.delete(p));
    this.releasing.add(p);
  }

  private async countFailure(gameId: string, roomCode: string, err: unknown): Promise<void> {
    const n = await this.store.pg.recordFailure(gameId);
    const next =
      n >= this.maxFailures ? 'the next owner closes the game' : 'another process may take it over';
    console.log(
      `Room ${roomCode} (game ${gameId}) failed with an unexpected error (${n} of at most ${this.maxFailures} ` +
        `times): ${err instanceof Error ? err.message : String(err)}; ${next}`,
    );
  }

  /**
   * The game failed too often: it is closed (under the lease just taken, so fenced like any write) and
   * not run again. Its log stays in PostgreSQL: everything acknowledged can still be downloaded.
   */
  private async closeFailed(gameId: string, lease: HeldLease, failures: number): Promise<void> {
    try {
      await this.store.closeRoom(gameId);
      this.logger.error({ game: gameId, failures }, 'room failed too often; its game is closed');
      console.log(
        `Closed game ${gameId}: its room failed ${failures} times with an unexpected error (at most ` +
          `${this.maxFailures}), so it is not taken over again; its log is kept (/api/games/${gameId}/log)`,
      );
    } catch (e) {
      this.logger.error({ err: e, game: gameId }, 'could not close a game that failed too often');
    } finally {
      await this.unkeep(gameId);
      await this.leases.release(lease).catch(() => undefined);
    }
  }

  /**
   * A write of the game was refused by the fence: a newer owner has it. A refused write of an earlier
   * run of the room on this process (dropped already; the game taken here again since, under a newer
   * epoch) says nothing about the room running now.
   */
  fenced(gameId: string, e: FencedError): void {
    const held = this.store.epochOf(gameId);
    if (held !== null && held !== e.epoch) return;
    this.lose(gameId, e.message);
  }

  /**
   * This process may no longer run the room: it stops here, its pages reconnect to the new owner.
   * `keeper`: the lease keeper that lost it (one of an earlier run of the room is no news).
   */
  private lose(gameId: string, why: string, keeper?: LeaseKeeper): void {
    if (keeper && this.keepers.get(gameId) !== keeper) return;
    const room = this.registry?.byGameId(gameId);
    this.logger.warn({ game: gameId, why }, 'room lost: this process no longer owns it');
    if (room) {
      console.log(`Dropped room ${room.roomCode} (game ${gameId}) at tick ${room.tick}: ${why}`);
      room.drop(why);
    } else {
      // Lost while being created or rebuilt: the takeover sees its keeper gone and stops there.
      void this.unkeep(gameId);
    }
  }

  /** One look at the open games: any whose lease lapsed is taken over. */
  private async poll(): Promise<void> {
    if (this.polling || this.stopping || !this.registry) return;
    this.polling = true;
    try {
      const live = await this.store.pg.liveGameIds();
      const others = live.filter(
        (id) => !this.keepers.has(id) && !this.claimed.has(id) && !this.registry!.byGameId(id),
      );
      const holders = await this.leases.holders(others);
      const now = Date.now();
      for (const [i, gameId] of others.entries()) {
        if (this.stopping) break;
        const h = holders[i];
        if (!h) {
          await this.takeOver(gameId);
          continue;
        }
        this.seenHeld.set(gameId, now);
        if (h.msLeft < this.lookEvery) this.attemptAtExpiry(gameId, now + h.msLeft);
      }
      for (const id of this.seenHeld.keys()) if (!live.includes(id)) this.seenHeld.delete(id);
    } catch (e) {
      // Redis or PostgreSQL unreachable: look again next time.
      this.logger.debug({ err: e }, 'takeover watch failed');
    } finally {
      this.polling = false;
    }
  }

  /** One takeover attempt just after the lease of `gameId` expires (at `at`), unless one is timed already. */
  private attemptAtExpiry(gameId: string, at: number): void {
    const was = this.expiring.get(gameId);
    if (was && was.at <= at) return;
    if (was) clearTimeout(was.timer);
    // 2 ms past the expiry: Redis expires the key on access, so a claim at the expiry finds it gone.
    const timer = setTimeout(
      () => {
        if (this.expiring.get(gameId)?.timer === timer) this.expiring.delete(gameId);
        if (this.stopping || this.keepers.has(gameId) || this.claimed.has(gameId)) return;
        if (this.registry?.byGameId(gameId)) return;
        this.takeOver(gameId, at).catch((e: unknown) =>
          this.logger.debug({ err: e, game: gameId }, 'takeover at expiry failed'),
        );
      },
      Math.max(0, at - Date.now() + 2),
    );
    timer.unref();
    this.expiring.set(gameId, { at, timer });
  }

  private async takeOver(gameId: string, leaseExpiredAt: number | null = null): Promise<void> {
    const began = Date.now();
    const expiry = this.expiring.get(gameId);
    leaseExpiredAt ??= expiry?.at ?? null;
    const lease = await takeRoom(this.leases, this.store.pg, gameId);
    if (!lease) return;
    const claimedAt = Date.now();
    if (expiry) clearTimeout(expiry.timer);
    this.expiring.delete(gameId);
    const keeper = this.keep(gameId, lease);
    let loadedAt = claimedAt;
    let room: RoomRuntime;
    let checkpointTick: number | null = null;
    let commands = 0;
    let rebuilding = false;
    let roomCode = gameId;
    try {
      // One round trip's wait, not three: on a process busy with a failover (reconnecting pages, other
      // rooms being taken) each query waits its turn for a pooled connection.
      const [failures, stored, checkpoint] = await Promise.all([
        this.store.pg.failures(gameId),
        this.store.pg.loadGame(gameId),
        this.store.pg.latestCheckpoint(gameId),
      ]);
      if (failures >= this.maxFailures) return await this.closeFailed(gameId, lease, failures);
      if (!stored) throw new Error('the game is not in the store');
      checkpointTick = checkpoint?.tick ?? null;
      commands = stored.log.commands.length;
      roomCode = stored.roomCode;
      loadedAt = Date.now();
      if (this.stopping) throw new Error('this process is stopping');
      if (this.keepers.get(gameId) !== keeper) {
        // The lease lapsed while the game was being read (lose() let it go): another process may have it.
        console.log(
          `Gave up taking over room ${roomCode} (game ${gameId}): its lease lapsed during the read`,
        );
        return;
      }
      rebuilding = true;
      room = this.registry!.adopt(stored, checkpoint);
    } catch (e) {
      if (this.stopping) this.logger.info({ game: gameId }, 'takeover left off: this process is stopping');
      else
        this.logger.error({ err: e, game: gameId }, 'room could not be taken over; its lease is given back');
      await this.unkeep(gameId);
      // A rebuild that threw (a log that cannot be folded) counts as a failure of the room; Redis or
      // PostgreSQL being unreachable does not.
      if (rebuilding) await this.countFailure(gameId, roomCode, e).catch(() => undefined);
      await this.leases.release(lease).catch(() => undefined);
      return;
    }
    const seen = this.seenHeld.get(gameId);
    this.seenHeld.delete(gameId);
    const restoredAt = Date.now();
    const t: Takeover = {
      gameId,
      roomCode: room.roomCode,
      epoch: lease.epoch,
      tick: room.tick,
      ownerlessMs: seen === undefined ? null : began - seen,
      leaseExpiredAt,
      beganAt: began,
      claimedAt,
      loadedAt,
      restoredAt,
      rebuildMs: restoredAt - began,
      checkpointTick,
      commands,
    };
    this.takeovers.push(t);
    this.logger.info(t, 'room taken over');
    console.log(takeoverLine(t));
  }

  /** The server stops: no more takeovers; the rooms' leases are given back as they stop (stopped()). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const { timer } of this.expiring.values()) clearTimeout(timer);
    this.expiring.clear();
    this.endReleaseWatch?.();
    this.endReleaseWatch = null;
    while (this.polling) await new Promise((r) => setTimeout(r, 10));
  }

  /** Resolves once every room stopped so far has written its last and given its lease back. */
  async drained(): Promise<void> {
    await Promise.all([...this.releasing]);
  }
}

/**
 * The takeover as one line. Its phases (ms since the epoch, in brackets) let the tests and the load test
 * split a failover gap: kill, lease expiry, claim begun, lease and fence taken, game read, room rebuilt
 * and ticking.
 */
export function takeoverLine(t: Takeover): string {
  return (
    `Took over room ${t.roomCode} (game ${t.gameId}, epoch ${t.epoch}) at tick ${t.tick}: ` +
    `ownerless ${t.ownerlessMs === null ? 'since before this process looked' : `about ${t.ownerlessMs} ms`}, ` +
    `rebuilt in ${t.rebuildMs} ms from ${t.checkpointTick === null ? 'the whole log' : `the checkpoint at tick ${t.checkpointTick}`} ` +
    `and ${t.commands} log entries; ticking again at ${new Date(t.restoredAt).toISOString()} ` +
    `[phases: expired=${t.leaseExpiredAt ?? '?'} began=${t.beganAt} claimed=${t.claimedAt} loaded=${t.loadedAt} restored=${t.restoredAt}]`
  );
}

/** What the tests read back from a takeover line: the tick the room resumed at and the phases. */
export type TakeoverPhases = Pick<Takeover, 'tick' | 'beganAt' | 'claimedAt' | 'loadedAt' | 'restoredAt'> & {
  /** Takeover's leaseExpiredAt. */
  expiredAt: number | null;
};

/**
 * The first takeover line (takeoverLine) for room `roomCode` in what a process printed, read back: the
 * one reader of that line's format.
 */
export function takeoverPhases(printed: string, roomCode: string): TakeoverPhases | null {
  const m = new RegExp(
    `Took over room ${roomCode} \\(.*?\\) at tick (\\d+):.*\\[phases: expired=(\\S+) began=(\\d+) claimed=(\\d+) loaded=(\\d+) restored=(\\d+)\\]`,
  ).exec(printed);
  if (!m) return null;
  return {
    tick: Number(m[1]),
    expiredAt: m[2] === '?' ? null : Number(m[2]),
    beganAt: Number(m[3]),
    claimedAt: Number(m[4]),
    loadedAt: Number(m[5]),
    restoredAt: Number(m[6]),
  };
}
