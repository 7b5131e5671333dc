import type { Scenario } from '../../shared/scenarios/schema.ts';
import type { RoomSettings } from '../../shared/protocol/payloads.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { GameStore, RoomStore, StoredCheckpoint, StoredGame } from '../storage/store.ts';
import { RoomCodeTakenError } from '../storage/postgres-errors.ts';
import type { RoomTransport } from './room-transport.ts';
import { RoomRuntime } from './room-runtime.ts';
import { ProcessStudents } from './process-students.ts';
import { recoverRoom } from './room-recovery.ts';
import { newGameId, newRoomCode } from './tokens.ts';

/**
 * Cluster mode: who owns the rooms this process runs (server/cluster/cluster-rooms.ts). A new room's
 * lease is taken before its game is written; a room that stops here gives its lease back.
 */
export interface RoomOwnership {
  /** Takes the lease of a game about to be created (its id is new, so nobody else holds it). */
  claimNew(gameId: string): Promise<void>;
  /** The room runs here now: keep its lease. */
  started(room: RoomRuntime): void;
  /** The room stopped here (closed, dropped, or the server stops): stop keeping its lease. */
  stopped(room: RoomRuntime): void;
}

/** How many codes a new room tries when the cluster has each of them in use already. */
const CODE_TRIES = 5;

/** The rooms this process runs, by room code (what students type) and by game id (what URLs name). */
export class RoomRegistry {
  private readonly byCode = new Map<string, RoomRuntime>();
  private readonly byGame = new Map<string, RoomRuntime>();
  /** Who made each open room (the creating connection's address), to cap the rooms one address holds. */
  private readonly madeBy = new Map<RoomRuntime, string>();
  /** The students of all of the process's rooms: proofs and class views are budgeted per process. */
  private readonly processStudents = new ProcessStudents();

  constructor(
    private readonly config: ServerConfig,
    private readonly store: RoomStore,
    private readonly logger: Logger,
    private readonly transportFor: (roomCode: string) => RoomTransport,
    /** Cluster mode only. */
    private readonly ownership: RoomOwnership | null = null,
  ) {}

  get size(): number {
    return this.byCode.size;
  }

  get(roomCode: string): RoomRuntime | undefined {
    return this.byCode.get(roomCode);
  }

  byGameId(gameId: string): RoomRuntime | undefined {
    return this.byGame.get(gameId);
  }

  rooms(): IterableIterator<RoomRuntime> {
    return this.byCode.values();
  }

  private freeCode(): string {
    for (;;) {
      const code = newRoomCode();
      if (!this.byCode.has(code)) return code;
    }
  }

  private deps(roomCode: string) {
    return {
      config: this.config,
      store: this.store,
      logger: this.logger,
      transport: this.transportFor(roomCode),
      onClose: (room: RoomRuntime) => this.forget(room),
      processStudents: this.processStudents,
    };
  }

  private add(room: RoomRuntime): void {
    this.byCode.set(room.roomCode, room);
    this.byGame.set(room.gameId, room);
  }

  private forget(room: RoomRuntime): void {
    this.ownership?.stopped(room);
    this.madeBy.delete(room);
    if (this.byCode.get(room.roomCode) === room) this.byCode.delete(room.roomCode);
    if (this.byGame.get(room.gameId) === room) this.byGame.delete(room.gameId);
  }

  /** Rooms open now that were made from this address (rooms recovered at start count for nobody). */
  openBy(address: string): number {
    let n = 0;
    for (const a of this.madeBy.values()) if (a === address) n++;
    return n;
  }

  /**
   * Whether this address may open another room: the server has a slot (MAX_ROOMS) and the address holds
   * fewer than ROOMS_PER_ADDRESS, so that one address (a script, or a runaway page) can never take every
   * slot. Empty lobbies close after LOBBY_IDLE_TTL_MS, which hands slots back.
   */
  mayCreate(address: string): { ok: true } | { ok: false; why: 'server-full' | 'address-full' } {
    if (this.size >= this.config.maxRooms) return { ok: false, why: 'server-full' };
    if (this.openBy(address) >= this.config.roomsPerAddress) return { ok: false, why: 'address-full' };
    return { ok: true };
  }

  /**
   * A new room, its game durable in the store before it is handed out. In cluster mode its lease is taken
   * first, and a code another process's open room has (PostgreSQL's unique index says so) is replaced by
   * a new one.
   */
  async create(
    scenario: Scenario,
    seed: number,
    settings: RoomSettings,
    madeBy: string,
  ): Promise<{ room: RoomRuntime; teacherToken: string }> {
    for (let attempt = 1; ; attempt++) {
      const roomCode = this.freeCode();
      const gameId = newGameId();
      await this.ownership?.claimNew(gameId);
      const made = RoomRuntime.create(this.deps(roomCode), { roomCode, scenario, seed, settings, gameId });
      this.add(made.room);
      this.madeBy.set(made.room, madeBy);
      try {
        await made.durable;
      } catch (e) {
        // Nothing of this room was written: it goes without a trace (and without a close to write).
        made.room.drop('its game could not be created');
        if (e instanceof RoomCodeTakenError && attempt < CODE_TRIES) continue;
        throw e;
      }
      this.ownership?.started(made.room);
      return made;
    }
  }

  /** Cluster mode: a room taken over from another process, rebuilt from its log (and checkpoint). */
  adopt(stored: StoredGame, checkpoint: StoredCheckpoint | undefined): RoomRuntime {
    const clash = this.byCode.get(stored.roomCode);
    if (clash) throw new Error(`room code ${stored.roomCode} is in use here by game ${clash.gameId}`);
    const room = recoverRoom(this.deps(stored.roomCode), stored, checkpoint);
    this.add(room);
    this.ownership?.started(room);
    return room;
  }

  /** Brings back every room that was open when the server stopped. A room whose log is damaged stays closed. */
  recoverAll(store: GameStore): number {
    let n = 0;
    for (const gameId of store.liveGameIds()) {
      const stored = store.getGame(gameId);
      if (!stored) continue;
      if (this.byCode.has(stored.roomCode)) {
        this.logger.error({ game: gameId, room: stored.roomCode }, 'room code already in use; not recovered');
        continue;
      }
      try {
        this.add(recoverRoom(this.deps(stored.roomCode), stored));
        n++;
      } catch (e) {
        this.logger.error({ err: e, game: gameId }, 'room could not be rebuilt from its log; closing it');
        store.closeRoom(gameId);
      }
    }
    return n;
  }

  /** Server shutdown: stop every room; they come back on the next start (in a cluster, on another process). */
  stopAll(): void {
    for (const room of [...this.byCode.values()]) room.stopForHandover();
  }
}
