import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../server/storage/postgres-transaction.ts';
import { testServices, type TestServices } from './cluster-services.ts';

// A connection that PostgreSQL ends while its client is checked out (a restart, a cut, or the process
// frozen past idle_in_transaction_session_timeout) must fail that transaction, not the process: pg emits
// 'error' on the client, and the pool listens only while the client is idle.

let s: TestServices;
beforeEach(async () => {
  s = await testServices();
});
afterEach(async () => {
  await s.close();
});

describe('a transaction whose connection PostgreSQL ends', () => {
  it('rejects with the connection error, raises nothing uncaught, and the pool goes on with a new connection', async () => {
    const pool = s.newPool();
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => void uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      await pool.query('CREATE TABLE t (x int)');
      let ended: number | null = null;
      await expect(
        inTransaction(pool, async (client) => {
          await client.query('INSERT INTO t VALUES (1)');
          ended = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
          // Ended from outside while this client is out of the pool and has no query in flight.
          await s.pool.query('SELECT pg_terminate_backend($1)', [ended]);
          await new Promise((done) => client.once('end', done));
          await client.query('INSERT INTO t VALUES (2)');
        }),
      ).rejects.toThrow();
      expect(ended).not.toBeNull();
      expect(uncaught).toEqual([]);
      // Nothing of the transaction was committed, and the pool serves the next caller on a live connection.
      const after = await inTransaction(pool, async (client) => {
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        const rows = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]!.n;
        return { pid, rows };
      });
      expect(after.pid).not.toBe(ended);
      expect(after.rows).toBe(0);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('rolls back what the work wrote when the work throws, keeping the connection; hands back its value when it returns', async () => {
    await s.pool.query('CREATE TABLE t (x int)');
    let failedOn = 0;
    await expect(
      inTransaction(s.pool, async (client) => {
        await client.query('INSERT INTO t VALUES (1)');
        failedOn = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // The connection lived and rolled back: it went back to the pool (a room code taken costs no reconnect).
    expect(s.pool.totalCount).toBe(1);
    expect(
      await inTransaction(s.pool, async (client) => {
        await client.query('INSERT INTO t VALUES (2)');
        expect((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid).toBe(
          failedOn,
        );
        return 'kept';
      }),
    ).toBe('kept');
    expect((await s.pool.query<{ x: number }>('SELECT x FROM t')).rows).toEqual([{ x: 2 }]);
  });
});
