import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { replayLog } from '../../shared/sim/log-fold.ts';
import { migrate } from '../../server/storage/postgres-migrations.ts';
import { PostgresStore } from '../../server/storage/postgres-store.ts';
import { RoomLeases } from '../../server/cluster/room-leases.ts';
import { TEST_REDIS_URL, testServices, type TestServices } from './cluster-services.ts';

// Ownership under real process faults, at the storage level (lease + fence + log, with a stand-in owner
// that only appends: cluster-owner-child.ts; whole rooms under the same faults: cluster-rooms.test.ts and
// cluster-faults.test.ts): owners killed with SIGKILL, and an owner frozen past its lease.

const LEASE_MS = 500;

interface Owner {
  nodeId: string;
  child: ChildProcess;
  lines: string[];
}

let s: TestServices;
let store: PostgresStore;
const owners: Owner[] = [];

function startOwner(nodeId: string): Owner {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/cluster-owner-child.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      NODE_ID: nodeId,
      GAME_ID: 'room',
      LEASE_MS: String(LEASE_MS),
      DATABASE_URL: s.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: s.prefix,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const o: Owner = { nodeId, child, lines: [] };
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    o.lines.push(...parts);
  });
  owners.push(o);
  return o;
}

const acks = (o: Owner) => o.lines.filter((l) => l.startsWith('ACK ')).map((l) => Number(l.split(' ')[1]));
const took = (o: Owner) =>
  o.lines.filter((l) => l.startsWith('TOOK ')).map((l) => l.split(' ').slice(1).map(Number));

beforeEach(async () => {
  s = await testServices();
  await migrate(s.pool);
  store = new PostgresStore(s.pool);
  await store.createGame({
    gameId: 'room',
    roomCode: 'FAILS',
    createdAt: 1,
    header: { scenario: builtInScenario('fail-whale')!, seed: 3, settings: {} },
    teacherTokenHash: 'h',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  });
});
afterEach(async () => {
  for (const o of owners.splice(0))
    if (o.child.exitCode === null && o.child.signalCode === null) o.child.kill('SIGKILL');
  await s.close();
});

/** Every command any process saw acknowledged is in the log, as that process wrote it. */
async function expectEveryAckInLog(): Promise<number> {
  // Stop every process first, so the log stops growing and each one's output is complete.
  await Promise.all(
    owners
      .filter((o) => o.child.exitCode === null && o.child.signalCode === null)
      .map((o) => new Promise((done) => o.child.once('close', done).kill('SIGKILL'))),
  );
  const log = (await store.readLog('room'))!;
  for (const o of owners)
    for (const seq of acks(o))
      expect(log.commands[seq]?.cmd, `${o.nodeId} ACK ${seq}`).toMatchObject({ name: o.nodeId });
  // The log is whole (positions 0..n-1 with no gap) and folds as a game.
  const r = await s.pool.query<{ n: number; top: number }>(
    'SELECT count(*)::int AS n, max(seq) AS top FROM game_commands',
  );
  expect(r.rows[0]).toEqual({ n: log.commands.length, top: log.commands.length - 1 });
  expect(replayLog(log).players.length).toBe(log.commands.length);
  return log.commands.length;
}

describe('room ownership under process faults', () => {
  it('an owner killed with SIGKILL five times: another takes over each time, nothing acknowledged is lost', async () => {
    const leases = new RoomLeases(s.redis, 'observer', LEASE_MS, s.prefix);
    for (const n of ['node-1', 'node-2', 'node-3']) startOwner(n);
    const gaps: number[] = [];
    for (let round = 0; round < 5; round++) {
      // Let the current owner acknowledge a few commands, then kill it.
      let holder: { nodeId: string; epoch: number } | null = null;
      await expect
        .poll(
          async () => {
            holder = await leases.holder('room');
            const o = holder && owners.find((x) => x.nodeId === holder!.nodeId && x.child.exitCode === null);
            return o ? acks(o).length >= 5 : false;
          },
          { timeout: 10_000, interval: 20 },
        )
        .toBe(true);
      const victim = owners.find((x) => x.nodeId === holder!.nodeId && x.child.signalCode === null)!;
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      // A replacement node keeps three processes running.
      startOwner(`node-${4 + round}`);
      let next: Owner | undefined;
      await expect
        .poll(
          () => {
            next = owners.find((o) => o !== victim && took(o).some(([epoch]) => epoch! > holder!.epoch));
            return next !== undefined;
          },
          { timeout: 10_000, interval: 10 },
        )
        .toBe(true);
      const [, , at] = took(next!).find(([epoch]) => epoch! > holder!.epoch)!;
      gaps.push(at! - killedAt);
    }
    console.log(`failover gaps after SIGKILL (lease ${LEASE_MS} ms): ${gaps.join(', ')} ms`);
    // The 2 s target is a figure (printed above, and in docs/cluster.md), not a timed assertion: this
    // machine is shared and a loaded run takes longer. A takeover must still come, well within the poll.
    for (const g of gaps) expect(g).toBeGreaterThan(0);
    const n = await expectEveryAckInLog();
    expect(n).toBeGreaterThanOrEqual(25);
  });

  it('an owner frozen past its lease (SIGSTOP, then SIGCONT) cannot append again and drops the room', async () => {
    const leases = new RoomLeases(s.redis, 'observer', LEASE_MS, s.prefix);
    const first = startOwner('node-1');
    await expect.poll(() => acks(first).length, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(5);
    const second = startOwner('node-2');
    first.child.kill('SIGSTOP');
    await expect.poll(() => took(second).length, { timeout: 10_000, interval: 20 }).toBe(1);
    await expect.poll(() => acks(second).length, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(5);
    first.child.kill('SIGCONT');
    // Awake, it finds its lease gone or its writes fenced, and stops; the new owner keeps going.
    await expect
      .poll(() => first.lines.some((l) => l === 'FENCED' || l.startsWith('LOST')), {
        timeout: 10_000,
        interval: 20,
      })
      .toBe(true);
    const secondAcks = acks(second).length;
    await expect
      .poll(() => acks(second).length, { timeout: 10_000, interval: 20 })
      .toBeGreaterThan(secondAcks + 5);
    // A transaction the frozen process had in flight may still be acknowledged on waking, but only if it
    // committed before the new owner's claim: every row it wrote precedes the new owner's first.
    expect(await leases.holder('room')).toMatchObject({ nodeId: 'node-2' });
    // And it is still running: a connection PostgreSQL ended under it (the frozen transaction's) is an
    // error it hears, not one that ends the process (server/storage/postgres-transaction.ts).
    expect({ exit: first.child.exitCode, signal: first.child.signalCode }).toEqual({
      exit: null,
      signal: null,
    });
    const rows = await s.pool.query<{ seq: number; epoch: string }>(
      'SELECT seq, epoch FROM game_commands ORDER BY seq',
    );
    const firstEpochRows = rows.rows.filter((r) => Number(r.epoch) === 1).map((r) => r.seq);
    const secondStart = Math.min(...rows.rows.filter((r) => Number(r.epoch) === 2).map((r) => r.seq));
    expect(Math.max(...firstEpochRows)).toBeLessThan(secondStart);
    await expectEveryAckInLog();
  });
});
