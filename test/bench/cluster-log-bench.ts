import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import type { LogEntry } from '../../shared/sim/game-log.ts';
import { migrate } from '../../server/storage/postgres-migrations.ts';
import { PostgresStore } from '../../server/storage/postgres-store.ts';
import { AppendBatch } from '../../server/storage/postgres-append-batch.ts';

/**
 * What the per-tick batch buys in cluster mode: R rooms each appending C commands per tick through
 * AppendBatch (one fenced transaction per tick for all rooms), against the same appends made one
 * transaction per room. Works in a schema of its own and drops it. Prints figures, asserts nothing.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx test/bench/cluster-log-bench.ts [rooms] [perRoom] [ticks]
 */
const rooms = Number(process.argv[2] ?? 100);
const perRoom = Number(process.argv[3] ?? 3);
const ticks = Number(process.argv[4] ?? 50);
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const schema = `ls_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Pool({ connectionString: url, max: 1 });
await admin.query(`CREATE SCHEMA ${schema}`);
const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 8 });
try {
  await migrate(pool);
  const store = new PostgresStore(pool);
  const header = { scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} };
  const entries = (t: number): LogEntry[] =>
    Array.from({ length: perRoom }, (_, i) => ({
      tick: t,
      cmd: { type: 'buy', playerId: `p-${i}`, item: 'stand' } as const,
    }));

  async function run(label: string, batched: boolean): Promise<void> {
    const ids = Array.from({ length: rooms }, (_, i) => `${label}-${i}`);
    for (const [i, id] of ids.entries()) {
      await store.createGame({
        gameId: id,
        roomCode: `${label.slice(0, 1)}${i}`,
        createdAt: i,
        header,
        teacherTokenHash: 'h',
        room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
      });
      await store.claim(id, 1);
    }
    const started = performance.now();
    if (batched) {
      const batch = new AppendBatch(pool);
      for (let t = 0; t < ticks; t++)
        await Promise.all(
          ids.map((id) => batch.append({ gameId: id, epoch: 1, firstSeq: t * perRoom, entries: entries(t) })),
        );
    } else {
      // One AppendBatch per room, flushed alone: one transaction per room per tick.
      const own = new Map(ids.map((id) => [id, new AppendBatch(pool)]));
      for (let t = 0; t < ticks; t++)
        for (const id of ids)
          await own.get(id)!.append({ gameId: id, epoch: 1, firstSeq: t * perRoom, entries: entries(t) });
    }
    const s = (performance.now() - started) / 1000;
    const rows = rooms * perRoom * ticks;
    console.log(
      `${label.padEnd(9)} ${rooms} rooms x ${perRoom} commands x ${ticks} ticks: ${(ticks / s).toFixed(1)} ticks/s, ` +
        `${Math.round(rows / s)} commands/s, ${((s / ticks) * 1000).toFixed(1)} ms per tick of all rooms`,
    );
  }
  await run('batched', true);
  await run('per-room', false);
} finally {
  await pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
