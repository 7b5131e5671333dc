import type pg from 'pg';
import type { LogEnd, LogEntry } from '../../shared/sim/game-log.ts';
import type { GameOutcome, RoomSnapshot, StoredPlayer } from './store.ts';
import { FencedError } from './postgres-errors.ts';
import { StoreWriteError } from './store-errors.ts';
import { inTransaction } from './postgres-transaction.ts';
import { WRITE_STAMP_STEP_MS } from './store.ts';

/** The rest of a room's writes, made in the same fenced transaction as its log entries. */
export interface GameWrites {
  /** Players added or changed (joins, bots, a returning player's new token). */
  players?: StoredPlayer[];
  kicked?: string[];
  /** A returning student's new token (the old one stops working). */
  tokens?: { playerId: string; tokenHash: string }[];
  room?: RoomSnapshot;
  end?: { end: LogEnd; endedAt: number; outcome: GameOutcome };
  checkpoint?: { tick: number; bytes: Uint8Array };
  /** The room closed for good: it is taken over by no one. */
  close?: boolean;
}

/** One room's new log entries (and other writes), written under the epoch of the lease its owner holds. */
export interface Append {
  gameId: string;
  epoch: number;
  /** 0-based position of the first entry in the game's log. */
  firstSeq: number;
  entries: readonly LogEntry[];
  also?: GameWrites;
}

function hasWrites(w: GameWrites | undefined): boolean {
  return (
    w !== undefined &&
    ((w.players?.length ?? 0) > 0 ||
      (w.kicked?.length ?? 0) > 0 ||
      (w.tokens?.length ?? 0) > 0 ||
      w.room !== undefined ||
      w.end !== undefined ||
      w.checkpoint !== undefined ||
      w.close === true)
  );
}

interface Pending extends Append {
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The command log's writer: appends from every room a process owns gather into one transaction, sent
 * once the rooms that ticked in this turn of the event loop have handed theirs over (PostgreSQL does
 * 2,000 single-row commits a second here but 69,000 rows a second in batches). In the same transaction
 * each game's fence is locked and compared with the writer's epoch: a room whose game was claimed by a
 * newer owner gets FencedError and none of its entries are written; the other rooms' entries commit.
 * One transaction is in flight at a time, so a game's appends commit in the order they were made.
 * Each promise resolves only after COMMIT returned: that is when its commands may be acknowledged.
 */
export class AppendBatch {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  /** Transactions committed (a benchmark and the tests read it). */
  transactions = 0;

  /** `now`: the clock of the games' last-write stamps (tests pass a fake one). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  append(a: Append): Promise<void> {
    if (a.entries.length === 0 && !hasWrites(a.also)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ ...a, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Writes what is pending now; resolves when that transaction is over (whatever its outcome). */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
      if (this.pending.length > 0) this.schedule();
    });
    return this.flushing;
  }

  private async write(batch: Pending[]): Promise<void> {
    let fenced: Map<Pending, FencedError>;
    try {
      fenced = await inTransaction(this.pool, async (client) => {
        const ids = [...new Set(batch.map((p) => p.gameId))];
        // FOR UPDATE holds each game's fence until COMMIT, so a claim by a newer owner waits for this
        // transaction and every append it lets through is ordered before the claim.
        const r = await client.query<{ game_id: string; epoch: string; last_write_at: string | null }>(
          'SELECT game_id, epoch, last_write_at FROM games WHERE game_id = ANY($1) ORDER BY game_id FOR UPDATE',
          [ids],
        );
        const fence = new Map(r.rows.map((g) => [g.game_id, Number(g.epoch)]));
        // Games whose last-write stamp is a step old (or missing: a game from before the stamps) get a new
        // one below; most batches stamp none, and make no extra round trip for it.
        const now = this.now();
        const stampDue = new Set(
          r.rows
            .filter((g) => g.last_write_at === null || Number(g.last_write_at) < now - WRITE_STAMP_STEP_MS)
            .map((g) => g.game_id),
        );
        const refused = new Map<Pending, FencedError>();
        const gameIds: string[] = [];
        const seqs: number[] = [];
        const entries: string[] = [];
        const epochs: number[] = [];
        for (const p of batch) {
          const stored = fence.get(p.gameId) ?? null;
          if (stored !== p.epoch) {
            refused.set(p, new FencedError(p.gameId, p.epoch, stored));
            continue;
          }
          p.entries.forEach((e, i) => {
            gameIds.push(p.gameId);
            seqs.push(p.firstSeq + i);
            entries.push(JSON.stringify(e));
            epochs.push(p.epoch);
          });
        }
        // A position already there holding the very same entry can only be this owner's own earlier write
        // whose COMMIT went through but whose reply was lost (the owner then writes it again): it is kept.
        // The same position with another entry is a real clash, and the whole transaction is refused.
        if (gameIds.length > 0) {
          const r = await client.query(
            `INSERT INTO game_commands (game_id, seq, entry, epoch)
             SELECT * FROM unnest($1::text[], $2::int[], $3::json[], $4::bigint[])
             ON CONFLICT (game_id, seq) DO NOTHING`,
            [gameIds, seqs, entries, epochs],
          );
          if (r.rowCount !== gameIds.length) {
            const clash = await client.query(
              `SELECT 1 FROM game_commands c
                 JOIN unnest($1::text[], $2::int[], $3::text[]) AS t(g, s, e) ON c.game_id = t.g AND c.seq = t.s
                WHERE c.entry::text <> t.e LIMIT 1`,
              [gameIds, seqs, entries],
            );
            if (clash.rows.length > 0)
              throw new Error('a log position was written twice with different entries');
          }
        }
        for (const p of batch) if (!refused.has(p) && p.also) await writeAlso(client, p.gameId, p.also);
        // The games written are stamped (their rows are locked already), each at most once a step.
        const stamp = [
          ...new Set(batch.filter((p) => !refused.has(p) && stampDue.has(p.gameId)).map((p) => p.gameId)),
        ];
        if (stamp.length > 0)
          await client.query('UPDATE games SET last_write_at = $2 WHERE game_id = ANY($1)', [stamp, now]);
        return refused;
      });
      this.transactions++;
    } catch (e) {
      for (const p of batch) p.reject(unreachable(e));
      return;
    }
    for (const p of batch) {
      const f = fenced.get(p);
      if (f) p.reject(f);
      else p.resolve();
    }
  }
}

/** A room's other writes, row by row (a few per room per second at most: joins, snapshots, checkpoints). */
async function writeAlso(client: pg.PoolClient, gameId: string, w: GameWrites): Promise<void> {
  for (const p of w.players ?? [])
    await client.query(
      `INSERT INTO game_players (game_id, player_id, name, token_hash, kicked) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (game_id, player_id) DO UPDATE SET name = $3, token_hash = $4, kicked = $5`,
      [gameId, p.playerId, p.name, p.tokenHash, p.kicked],
    );
  if (w.kicked?.length)
    await client.query('UPDATE game_players SET kicked = true WHERE game_id = $1 AND player_id = ANY($2)', [
      gameId,
      w.kicked,
    ]);
  for (const t of w.tokens ?? [])
    await client.query('UPDATE game_players SET token_hash = $3 WHERE game_id = $1 AND player_id = $2', [
      gameId,
      t.playerId,
      t.tokenHash,
    ]);
  if (w.end)
    await client.query('UPDATE games SET log_end = $2, ended_at = $3, outcome = $4 WHERE game_id = $1', [
      gameId,
      JSON.stringify(w.end.end),
      w.end.endedAt,
      JSON.stringify(w.end.outcome),
    ]);
  if (w.room)
    await client.query('UPDATE games SET room = $2 WHERE game_id = $1', [gameId, JSON.stringify(w.room)]);
  if (w.checkpoint)
    await client.query(
      `INSERT INTO game_checkpoints (game_id, tick, bytes) VALUES ($1, $2, $3)
       ON CONFLICT (game_id) DO UPDATE SET tick = $2, bytes = $3`,
      [gameId, w.checkpoint.tick, Buffer.from(w.checkpoint.bytes)],
    );
  if (w.close) await client.query('UPDATE games SET live = false WHERE game_id = $1', [gameId]);
}

/** The transaction did not commit (connection lost, server restarting, a duplicate position): nothing to acknowledge. */
function unreachable(e: unknown): StoreWriteError {
  const detail = e instanceof Error ? e.message : String(e);
  return new StoreWriteError(
    'unreachable',
    `The game log could not be written to PostgreSQL (${detail}); reconnecting to storage, retry`,
  );
}
