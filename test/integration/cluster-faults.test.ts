import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassView } from '../../shared/protocol/views.ts';
import { call, client, closeAll, createRoom, joinStudents, ok, sleep } from './helpers.ts';
import { printed, type ChildServer } from './child-server.ts';
import { TEST_REDIS_URL, testServices, type TestServices } from './cluster-services.ts';
import {
  acksPast,
  expectEveryAck,
  logOf,
  Nodes,
  play,
  resumeAll,
  resumeAsAPage,
  takeoverLine,
} from './cluster-nodes.ts';
import { privatePostgres, privateRedis } from './private-services.ts';

// The cluster's shared parts failing under a running room, with real server processes: an owner frozen
// past its lease (SIGSTOP), Redis restarting (the leases vanish), PostgreSQL restarting (writes fail).
// Nothing acknowledged may be lost, no process may crash, and the game must go on by itself. Redis and
// PostgreSQL here are private ones on this test's own ports: the shared servers are never restarted.

let s: TestServices;
let env: Record<string, string> = {};
const nodes = new Nodes(() => env);

beforeEach(async () => {
  s = await testServices();
  env = { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: s.databaseUrl, KEY_PREFIX: s.prefix };
});
afterEach(async () => {
  nodes.killAll();
  await s.close();
});

/** Which of the nodes printed that it took the room over (waits for one). */
async function newOwner(all: ChildServer[], roomCode: string, timeoutMs = 20_000): Promise<ChildServer> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const n of all) if (takeoverLine(n.output().stdout, roomCode)) return n;
    if (Date.now() > until) throw new Error(`nobody took room ${roomCode} over`);
    await sleep(50);
  }
}

describe('cluster faults', () => {
  it('an owner frozen past its lease (SIGSTOP) loses the room: it drops it on waking and never writes again', async () => {
    const [a, b] = await Promise.all([nodes.start('a'), nodes.start('b')]);
    const { teacher, roomCode, teacherToken, gameId } = await createRoom(a.url, { seed: 9 });
    const students = await joinStudents(a.url, roomCode, 3);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const p = play(students);
    await acksPast(p, 0);
    a.child.kill('SIGSTOP');
    const took = takeoverLine(await printed(b, new RegExp(`Took over room ${roomCode} `), 15_000), roomCode)!;
    // b ticks the room for a while under epoch 2 before a wakes.
    await sleep(600);
    a.child.kill('SIGCONT');
    const out = await printed(a, new RegExp(`Dropped room ${roomCode} `), 10_000);
    const why = /Dropped room \S+ \(game \S+\) at tick \d+: (.*)/.exec(out)![1];
    console.log(`stale owner: b took over at tick ${took.tick}; a, woken, dropped the room (${why})`);
    await p.stop();
    closeAll(students, [teacher]);

    // Nothing a wrote after b's claim is in the log: its rows all come before b's first one.
    const rows = await s.pool.query<{ seq: number; epoch: string }>(
      'SELECT seq, epoch FROM game_commands WHERE game_id = $1 ORDER BY seq',
      [gameId],
    );
    const firstOfB = rows.rows.find((r) => Number(r.epoch) === 2)?.seq ?? Infinity;
    expect(rows.rows.filter((r) => Number(r.epoch) === 1 && r.seq > firstOfB)).toEqual([]);
    expect(a.child.exitCode).toBeNull();
    expect(p.acked.length).toBeGreaterThan(0);
    const t2 = await client(b.url);
    const back = await resumeAll(b.url, roomCode, students);
    await resumeAsAPage(t2, 'teacher:resume', { roomCode, teacherToken });
    ok(await call(t2, 'teacher:action', { type: 'end' }));
    expectEveryAck(await logOf(b.url, gameId), p.acked);
    closeAll(back, [t2]);
  });

  it('Redis restarting: rooms stop ticking when their leases cannot be renewed, and are taken again once it is back', async () => {
    const redis = privateRedis();
    await redis.start();
    env.REDIS_URL = redis.url;
    try {
      const [a, b] = await Promise.all([nodes.start('a'), nodes.start('b')]);
      const { teacher, roomCode, teacherToken, gameId } = await createRoom(a.url, { seed: 11 });
      const students = await joinStudents(a.url, roomCode, 3);
      ok(await call(teacher, 'teacher:action', { type: 'start' }));
      const p = play(students);
      await acksPast(p, 0);
      const downAt = Date.now();
      await redis.kill();
      const out = await printed(a, new RegExp(`Dropped room ${roomCode} `), 10_000);
      const droppedTick = Number(/Dropped room \S+ \(game \S+\) at tick (\d+)/.exec(out)![1]);
      await p.stop();
      closeAll(students, [teacher]);
      await sleep(500);
      const upAt = Date.now();
      await redis.start();
      const owner = await newOwner([a, b], roomCode);
      const took = takeoverLine(owner.output().stdout, roomCode)!;
      console.log(
        `Redis down ${upAt - downAt} ms: room dropped at tick ${droppedTick}, retaken by ${owner === a ? 'a' : 'b'} ` +
          `${took.at - upAt} ms after Redis was back, at tick ${took.tick}`,
      );
      // The clock did not run while nobody owned the room.
      expect(took.tick).toBeLessThanOrEqual(droppedTick + 1);
      expect(a.child.exitCode).toBeNull();
      expect(b.child.exitCode).toBeNull();

      const t2 = await client(owner.url);
      await resumeAsAPage(t2, 'teacher:resume', { roomCode, teacherToken });
      const back = await resumeAll(owner.url, roomCode, students);
      const before = p.acked.length;
      play(back, p);
      await acksPast(p, before);
      await p.stop();
      ok(await call(t2, 'teacher:action', { type: 'end' }));
      expectEveryAck(await logOf(owner.url, gameId), p.acked);
      closeAll(back, [t2]);
    } finally {
      nodes.killAll();
      await redis.kill();
    }
  });
});

const pg = privatePostgres();
if (typeof pg === 'string') console.log(`PostgreSQL restart test skipped: ${pg}`);
afterAll(() => {
  if (typeof pg !== 'string') pg.destroy();
});

describe.skipIf(typeof pg === 'string')('cluster faults: PostgreSQL', () => {
  it('PostgreSQL restarting: the room holds still, "reconnecting to storage", and carries on by itself', async () => {
    if (typeof pg === 'string') throw new Error(pg);
    await pg.start();
    env.DATABASE_URL = pg.url;
    const [a] = await Promise.all([nodes.start('a'), nodes.start('b')]);
    const { teacher, roomCode, gameId } = await createRoom(a.url, { seed: 13 });
    const views: ClassView[] = [];
    teacher.on('view:class', (v) => views.push(v));
    const students = await joinStudents(a.url, roomCode, 3);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const p = play(students);
    await acksPast(p, 0);
    const downAt = Date.now();
    pg.stop();
    await sleep(1500);
    const heldTick = views.at(-1)!.tick;
    const upAt = Date.now();
    await pg.start();
    // The room carries on by itself: the teacher's view ticks past where it held.
    const until = Date.now() + 20_000;
    while (!(views.at(-1)!.tick > heldTick + 5 && !views.at(-1)!.cantSave)) {
      if (Date.now() > until) throw new Error('the room did not carry on after PostgreSQL came back');
      await sleep(50);
    }
    const resumedAt = Date.now();
    await acksPast(p, p.acked.length);
    await p.stop();
    const trouble = views.find((v) => v.cantSave)?.cantSave;
    console.log(
      `PostgreSQL down ${upAt - downAt} ms: the room held at tick ${heldTick} (${trouble?.message ?? 'no banner seen'}); ` +
        `ticking again ${resumedAt - upAt} ms after it was back; refused meanwhile: ${JSON.stringify(p.refused)}; ` +
        `${p.acked.length} acknowledged in all`,
    );
    expect(trouble?.fault).toBe('unreachable');
    expect(a.child.exitCode).toBeNull();
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    expectEveryAck(await logOf(a.url, gameId), p.acked);
    closeAll(students, [teacher]);
  });
});
