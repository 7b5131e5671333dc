import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * The cluster's two servers for tests: PostgreSQL and Redis as .ci/run guarantees them (or as
 * TEST_DATABASE_URL / TEST_REDIS_URL say). Each test file gets its own PostgreSQL schema and its own
 * Redis key prefix, so engineers and CI runs sharing the servers never see each other's games.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestServices {
  /** A pool whose search_path is this test's own schema. */
  pool: pg.Pool;
  /** Opens another pool on the same schema (a second process's view). */
  newPool(): pg.Pool;
  redis: Redis;
  /** Key prefix of this test's Redis keys. */
  prefix: string;
  /** A DATABASE_URL that puts a process in this test's schema. */
  databaseUrl: string;
  close(): Promise<void>;
}

export async function testServices(): Promise<TestServices> {
  const schema = `ls_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pools: pg.Pool[] = [];
  const newPool = (): pg.Pool => {
    const p = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${schema}`,
      max: 4,
    });
    pools.push(p);
    return p;
  };
  const pool = newPool();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `lemonscale-test:${schema}:`;
  return {
    pool,
    newPool,
    redis,
    prefix,
    databaseUrl: `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async close() {
      for (const p of pools) await p.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** Whether HAProxy is installed (.ci/services installs it): the tests through the balancer skip without it. */
export function haproxyInstalled(): boolean {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
