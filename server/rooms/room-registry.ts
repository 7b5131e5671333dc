import type { Scenario } from '../../shared/scenarios/schema.ts';
import type { RoomSettings } from '../../shared/protocol/payloads.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { GameStore } from '../storage/store.ts';
import type { RoomTransport } from './room-transport.ts';
import { RoomRuntime } from './room-runtime.ts';
import { recoverRoom } from './room-recovery.ts';
import { newRoomCode } from './tokens.ts';

/** The rooms this process runs, by room code (what students type) and by game id (what URLs name). */
export class RoomRegistry {
  private readonly byCode = new Map<string, RoomRuntime>();
  private readonly byGame = new Map<string, RoomRuntime>();
  /** Who made each open room (the creating connection's address), to cap the rooms one address holds. */
  private readonly madeBy = new Map<RoomRuntime, string>();

  constructor(
    private readonly config: ServerConfig,
    private readonly store: GameStore,
    private readonly logger: Logger,
    private readonly transportFor: (roomCode: string) => RoomTransport,
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
    };
  }

  private add(room: RoomRuntime): void {
    this.byCode.set(room.roomCode, room);
    this.byGame.set(room.gameId, room);
  }

  private forget(room: RoomRuntime): void {
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

  create(
    scenario: Scenario,
    seed: number,
    settings: RoomSettings,
    madeBy: string,
  ): { room: RoomRuntime; teacherToken: string } {
    const roomCode = this.freeCode();
    const made = RoomRuntime.create(this.deps(roomCode), { roomCode, scenario, seed, settings });
    this.add(made.room);
    this.madeBy.set(made.room, madeBy);
    return made;
  }

  /** Brings back every room that was open when the server stopped. A room whose log is damaged stays closed. */
  recoverAll(): number {
    let n = 0;
    for (const gameId of this.store.liveGameIds()) {
      const stored = this.store.getGame(gameId);
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
        this.store.closeRoom(gameId);
      }
    }
    return n;
  }

  /** Server shutdown: stop every room; they come back on the next start. */
  stopAll(): void {
    for (const room of [...this.byCode.values()]) room.dispose(false);
  }
}
