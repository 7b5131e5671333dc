import type pg from 'pg';

/**
 * One transaction on a client of its own: the one way this code base checks a client out of the pool.
 *
 * Why not `pool.connect()` by hand: pg emits 'error' on a client whose connection ends (PostgreSQL
 * restarted, the connection cut, or this process frozen past `idle_in_transaction_session_timeout`, when
 * PostgreSQL ends the session), and the pool listens for it only while the client sits idle in the pool.
 * A checked-out client with no listener turns it into an uncaught exception: in a bare process (the
 * failover tests' owner stand-in) the process dies; in the server the process guard logs it and counts
 * it toward exiting. Here it is heard while the client is out: the query in flight rejects with the
 * same error (pg does that too), the transaction is rolled back where the connection still lives, and a
 * client whose connection ended (or whose ROLLBACK failed) is destroyed, never handed to the next caller;
 * one whose work failed and rolled back (a room code taken) goes back to the pool.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin: string | null = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let lost: Error | null = null;
  const onError = (e: Error): void => {
    lost = e;
  };
  client.on('error', onError);
  // Destroyed rather than pooled: a client whose connection ended, or whose ROLLBACK failed.
  let broken: Error | null = null;
  try {
    if (begin !== null) await client.query(begin);
    const result = await work(client);
    if (begin !== null) await client.query('COMMIT');
    return result;
  } catch (e) {
    if (!lost && begin !== null)
      await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
        broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
      });
    throw e;
  } finally {
    client.off('error', onError);
    client.release(lost ?? broken ?? undefined);
  }
}

/**
 * Reads in one snapshot: every statement of `work` sees the database as at its first one, so rows read
 * apart (a game's row, then its log) agree even when another process deletes or writes between them.
 */
export function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

/**
 * `work` on a client of its own outside any transaction: what a session-level advisory lock or a
 * CREATE INDEX CONCURRENTLY needs (the latter refuses to run in a transaction).
 */
export function onOwnClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, null);
}
