import type pg from 'pg';
import type { RoomLeases } from './room-leases.ts';

/** Where a room runs: its game, and the process holding its lease now (null between owners). */
export interface RoomLocation {
  roomCode: string;
  gameId: string;
  owner: { nodeId: string; epoch: number } | null;
}

/**
 * Finds the process that runs a room, from its code: the open game with that code in PostgreSQL (unique
 * among open rooms), then the lease holder in Redis. The code → game step is cached for a second (a
 * room's game never changes while it is open; a closed room's code may name a new game later); the
 * holder is read every time, since it changes on failover.
 */
export class RoomDirectory {
  private readonly games = new Map<string, { gameId: string; until: number }>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly leases: Pick<RoomLeases, 'holder'>,
    private readonly cacheMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private async gameOf(roomCode: string): Promise<string | null> {
    const hit = this.games.get(roomCode);
    if (hit && hit.until > this.now()) return hit.gameId;
    const r = await this.pool.query<{ game_id: string }>(
      'SELECT game_id FROM games WHERE room_code = $1 AND live',
      [roomCode],
    );
    const gameId = r.rows[0]?.game_id ?? null;
    if (gameId === null) this.games.delete(roomCode);
    else this.games.set(roomCode, { gameId, until: this.now() + this.cacheMs });
    if (this.games.size > 10_000) this.games.clear();
    return gameId;
  }

  async locate(roomCode: string): Promise<RoomLocation | null> {
    const gameId = await this.gameOf(roomCode);
    if (gameId === null) return null;
    return { roomCode, gameId, owner: await this.leases.holder(gameId) };
  }
}
