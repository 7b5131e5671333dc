import pg from 'pg';
import { Redis } from 'ioredis';
import type { ClusterConfig } from '../config.ts';
import { migrate } from '../storage/postgres-migrations.ts';
import { PostgresStore } from '../storage/postgres-store.ts';
import { AppendBatch } from '../storage/postgres-append-batch.ts';
import { frozenTransactionTimeoutMs } from './room-ownership.ts';

/** A cluster process's connections to the shared parts, with the schema brought up to date. */
export interface ClusterStorage {
  pool: pg.Pool;
  redis: Redis;
  store: PostgresStore;
  log: AppendBatch;
  /** Migration steps this start applied (empty when the schema was current). */
  migrated: number[];
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL and Redis and applies the schema's missing migrations. Fails (so the process does
 * not start) when either server cannot be reached: a cluster process without its shared store has nothing
 * it may do.
 */
export async function openClusterStorage(cfg: ClusterConfig): Promise<ClusterStorage> {
  const pool = new pg.Pool({
    connectionString: cfg.databaseUrl,
    max: 8,
    connectionTimeoutMillis: 5000,
    // An owner frozen in the middle of a transaction (SIGSTOP, a long pause) holds its games' row locks,
    // and the next owner's claim would wait for them for as long as it stays frozen: PostgreSQL ends
    // such a transaction before the lease would expire (frozenTransactionTimeoutMs), and its writes
    // were never acknowledged.
    idle_in_transaction_session_timeout: frozenTransactionTimeoutMs(cfg.leaseMs),
  });
  const redis = new Redis(cfg.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
  // A connection dropped while idle (PostgreSQL restarting) or Redis going away is reported as an 'error'
  // event; unheard, the pool's would end the process. The writes and calls in flight fail on their own
  // (and are retried by their callers), and both clients reconnect by themselves.
  pool.on('error', () => undefined);
  redis.on('error', () => undefined);
  try {
    const migrated = await migrate(pool);
    await redis.connect();
    await redis.ping();
    return {
      pool,
      redis,
      store: new PostgresStore(pool),
      log: new AppendBatch(pool),
      migrated,
      async close() {
        redis.disconnect();
        await pool.end();
      },
    };
  } catch (e) {
    redis.disconnect();
    await pool.end().catch(() => undefined);
    throw new Error(
      `cluster storage unreachable (${e instanceof Error ? e.message : String(e)}); check REDIS_URL and DATABASE_URL`,
    );
  }
}
