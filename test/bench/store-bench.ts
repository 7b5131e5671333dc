import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../server/storage/sqlite-store.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';

/**
 * What durability costs: commits per second of the store's real write path (one transaction per tick
 * with commands, as a room commits), with synchronous=FULL (the store's setting: every commit is synced
 * before it is acknowledged) and NORMAL (synced only at checkpoints). Prints figures, asserts nothing.
 *   node --import tsx test/bench/store-bench.ts [commits] [dir]
 */
const commits = Number(process.argv[2] ?? 2000);
const base = process.argv[3] ?? os.tmpdir();

function run(synchronous: 'FULL' | 'NORMAL', perCommit: number): number {
  const dir = fs.mkdtempSync(path.join(base, 'lemonscale-bench-'));
  const store = new SqliteStore(dir, { synchronous });
  store.createGame({
    gameId: 'aaaaaaaaaaaaaaaa',
    roomCode: 'ABCDE',
    createdAt: 1,
    header: { scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} },
    teacherTokenHash: 'h',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  });
  const entries = Array.from({ length: perCommit }, (_, i) => ({
    tick: i,
    cmd: { type: 'buy', playerId: `p${i}`, item: 'stand' } as never,
  }));
  const t0 = performance.now();
  for (let i = 0; i < commits; i++) store.appendCommands('aaaaaaaaaaaaaaaa', i * perCommit, entries);
  const ms = performance.now() - t0;
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

console.log(`store commits on ${base} (${commits} transactions each)`);
for (const perCommit of [1, 30])
  for (const sync of ['NORMAL', 'FULL'] as const) {
    const ms = run(sync, perCommit);
    console.log(
      `synchronous=${sync.padEnd(6)} ${String(perCommit).padStart(2)} commands/commit: ${Math.round(
        (commits / ms) * 1000,
      )
        .toString()
        .padStart(6)} commits/s, ${((ms / commits) * 1000).toFixed(0).padStart(5)} µs/commit`,
    );
  }

// The integrity check at start (PRAGMA quick_check) reads every page: its cost grows with the file.
{
  const dir = fs.mkdtempSync(path.join(base, 'lemonscale-bench-'));
  const store = new SqliteStore(dir, { synchronous: 'NORMAL' });
  store.createGame({
    gameId: 'bbbbbbbbbbbbbbbb',
    roomCode: 'ABCDE',
    createdAt: 1,
    header: { scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} },
    teacherTokenHash: 'h',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  });
  const n = 200_000;
  const entries = Array.from({ length: 1000 }, (_, i) => ({
    tick: i,
    cmd: { type: 'buy', playerId: `p${i}`, item: 'stand' } as never,
  }));
  for (let i = 0; i < n / 1000; i++) store.appendCommands('bbbbbbbbbbbbbbbb', i * 1000, entries);
  store.close();
  const mb = fs.statSync(path.join(dir, 'lemonscale.db')).size / 1e6;
  const t0 = performance.now();
  new SqliteStore(dir).close();
  console.log(
    `open with quick_check: ${n} commands, ${mb.toFixed(1)} MB: ${(performance.now() - t0).toFixed(0)} ms`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
