import pg from 'pg';
import { Redis } from 'ioredis';
import type { ClusterConfig } from '../config.ts';
import { migrate } from '../storage/postgres-migrations.ts';
import { PostgresStore } from '../storage/postgres-store.ts';
import { AppendBatch } from '../storage/postgres-append-batch.ts';
import { frozenTransactionTimeoutMs } from './room-ownership.ts';
import { serviceAddress } from './service-address.ts';

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
  // (and are retried by their callers), and both clients reconnect by themselves. A start that cannot
  // reach either fails naming which one, where (no password) and what it said.
  pool.on('error', () => undefined);
  // What the Redis client heard while connecting (ECONNREFUSED, a wrong password): its connect() itself
  // only says "Connection is closed.".
  let redisTrouble: string | null = null;
  redis.on('error', (e: Error) => (redisTrouble ??= e.message));
  const step = async <T>(what: string, url: string, setting: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      redis.disconnect();
      await pool.end().catch(() => undefined);
      const said = e instanceof Error ? e.message : String(e);
      throw new Error(
        `cluster storage unreachable: ${what} at ${serviceAddress(url)} (${setting}): ${said}; check ${setting}`,
      );
    }
  };
  const migrated = await step('PostgreSQL', cfg.databaseUrl, 'DATABASE_URL', () => migrate(pool));
  await step('Redis', cfg.redisUrl, 'REDIS_URL', async () => {
    try {
      await redis.connect();
      await redis.ping();
    } catch (e) {
      throw redisTrouble ? new Error(`${redisTrouble} (${(e as Error).message})`) : e;
    }
  });
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
}
