import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { migrate } from '../../server/storage/postgres-migrations.ts';
import { PostgresStore } from '../../server/storage/postgres-store.ts';
import { AppendBatch } from '../../server/storage/postgres-append-batch.ts';
import { RoomLeases } from '../../server/cluster/room-leases.ts';
import { ClusterGameStore } from '../../server/cluster/cluster-game-store.ts';
import { ClusterRooms } from '../../server/cluster/cluster-rooms.ts';
import { createLogger } from '../../server/logging.ts';
import type { RoomRegistry } from '../../server/rooms/room-registry.ts';
import type { RoomRuntime } from '../../server/rooms/room-runtime.ts';
import type { StoredGame } from '../../server/storage/store.ts';
import { testServices, type TestServices } from './cluster-services.ts';

/**
 * A room that keeps failing with an unexpected error must not go round the cluster for ever (each
 * process taking it over, failing, giving it back): after MAX failures the game is closed. Real Redis and
 * PostgreSQL; the room itself is a stand-in (the registry's adopt), so the failure is the test's choice.
 */

const LEASE_MS = 300;
const MAX = 3;

let s: TestServices;
let pg: PostgresStore;
const processes: ClusterRooms[] = [];

beforeEach(async () => {
  s = await testServices();
  await migrate(s.pool);
  pg = new PostgresStore(s.pool);
  await pg.createGame({
    gameId: 'g-fail',
    roomCode: 'FAILS',
    createdAt: 1,
    header: { scenario: builtInScenario('fail-whale')!, seed: 7, settings: {} },
    teacherTokenHash: 'teacher-hash',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  });
});
afterEach(async () => {
  for (const p of processes.splice(0)) await p.stop();
  await s.close();
});

/** A cluster process whose rooms are stand-ins: `adopt` decides what a takeover does with the game. */
function clusterProcess(nodeId: string, adopt: (rooms: ClusterRooms, gameId: string) => RoomRuntime) {
  const logger = createLogger('silent');
  const leases = new RoomLeases(s.redis, nodeId, LEASE_MS, s.prefix);
  const ref: { rooms?: ClusterRooms } = {};
  const store = new ClusterGameStore(pg, new AppendBatch(s.pool), logger, (id, e) =>
    ref.rooms?.fenced(id, e),
  );
  const rooms = (ref.rooms = new ClusterRooms(leases, store, logger, MAX));
  const registry = {
    byGameId: () => undefined,
    adopt: (stored: StoredGame) => adopt(rooms, stored.summary.gameId),
  } as unknown as RoomRegistry;
  processes.push(rooms);
  return { rooms, leases, registry };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a room that keeps failing with an unexpected error', () => {
  it('is taken over again after a failure, and closed after the third, its log kept', async () => {
    const runs: string[] = [];
    const failed: string[] = [];
    // Each process's room fails soon after it starts (an exception inside it: RoomRuntime.failure).
    const make = (name: string) =>
      clusterProcess(name, (rooms, gameId) => {
        runs.push(name);
        const room = { gameId, roomCode: 'FAILS', tick: 0, failure: null } as unknown as RoomRuntime;
        rooms.started(room);
        setTimeout(() => {
          (room as { failure: unknown }).failure = new Error(`injected failure on ${name}`);
          failed.push(name);
          rooms.stopped(room);
        }, 20);
        return room;
      });
    const a = make('a');
    const b = make('b');
    a.rooms.watch(a.registry);
    b.rooms.watch(b.registry);

    await until('the game is closed', async () => !(await pg.liveGameIds()).includes('g-fail'));
    expect(await pg.failures('g-fail')).toBe(MAX);
    // The count is kept with the game in PostgreSQL: Redis forgetting everything (a restart: here the
    // test's keys deleted) gives the room no fresh tries.
    const keys = await s.redis.keys(`${s.prefix}*`);
    if (keys.length > 0) await s.redis.del(...keys);
    expect(await pg.failures('g-fail')).toBe(MAX);
    // Run once per failure, never again once closed (taken over MAX times, whichever process took it).
    expect(runs).toHaveLength(MAX);
    expect(failed).toEqual(runs);
    await new Promise((r) => setTimeout(r, LEASE_MS * 2));
    expect(runs).toHaveLength(MAX);
    expect(await pg.readLog('g-fail')).toBeDefined();
  });

  it('a rebuild that throws counts as a failure too', async () => {
    let rebuilds = 0;
    const p = clusterProcess('a', () => {
      rebuilds++;
      throw new Error('the log cannot be folded');
    });
    p.rooms.watch(p.registry);
    await until('the game is closed', async () => !(await pg.liveGameIds()).includes('g-fail'));
    expect(rebuilds).toBe(MAX);
  });

  it('a room that stops cleanly (no failure) is not counted, and is taken over as often as it takes', async () => {
    await pg.closeRoom('g-fail');
    await pg.createGame({
      gameId: 'g-fine',
      roomCode: 'FINES',
      createdAt: 2,
      header: { scenario: builtInScenario('fail-whale')!, seed: 8, settings: {} },
      teacherTokenHash: 'teacher-hash',
      room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
    });
    let taken = 0;
    const q = clusterProcess('b', (rooms, gameId) => {
      taken++;
      const room = { gameId, roomCode: 'FINES', tick: 0, failure: null } as unknown as RoomRuntime;
      rooms.started(room);
      if (taken < 3) setTimeout(() => rooms.stopped(room), 20);
      return room;
    });
    q.rooms.watch(q.registry);
    await until('the room was taken three times', async () => taken >= 3);
    expect(await pg.failures('g-fine')).toBe(0);
    expect(await pg.liveGameIds()).toContain('g-fine');
  });
});
