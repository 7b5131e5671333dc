import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLog, type GameLog } from '../../shared/sim/game-log.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { call, client, closeAll, createRoom, joinStudents, ok, sleep, type Student } from './helpers.ts';
import { printed, startChild, stopChild, type ChildServer } from './child-server.ts';
import { TEST_REDIS_URL, testServices, type TestServices } from './cluster-services.ts';

// Rooms served in cluster mode by real server processes on PostgreSQL and Redis: a room created on one
// process is written to PostgreSQL under its lease, read by any process, and taken over by another
// process when its owner is killed. Gaps are printed, never asserted (this machine is busy).

const LEASE_MS = 500;

let s: TestServices;
const children: ChildProcess[] = [];

beforeEach(async () => {
  s = await testServices();
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await s.close();
});

async function node(nodeId: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const srv = await startChild(os.tmpdir(), {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: s.databaseUrl,
    KEY_PREFIX: s.prefix,
    NODE_ID: nodeId,
    LEASE_MS: String(LEASE_MS),
    ...env,
  });
  children.push(srv.child);
  return srv;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function logOf(url: string, gameId: string): Promise<GameLog> {
  const log = parseLog(await (await fetch(`${url}/api/games/${gameId}/log`)).json());
  if (!log.ok) throw new Error(log.errors.join('; '));
  return log.value;
}

/** Students buy and switch as fast as they are acknowledged; what was acknowledged, as `player@tick`. */
function play(students: Student[], acked: string[]): { stop: () => Promise<void> } {
  let stopped = false;
  const loops = students.map(async (st) => {
    let mode: 'active-active' | 'active-passive' = 'active-active';
    while (!stopped) {
      const r = await call(st.socket, 'player:action', { type: 'set-lb-mode', mode }).catch(() => null);
      if (!r) return;
      if (r.ok) acked.push(`${st.playerId}@${r.tick}`);
      else {
        const b = await call(st.socket, 'player:action', { type: 'buy', item: 'load-balancer' }).catch(
          () => null,
        );
        if (!b) return;
        if (b.ok) acked.push(`${st.playerId}@${b.tick}`);
      }
      mode = mode === 'active-active' ? 'active-passive' : 'active-active';
      // Two commands a round at most, under the per-connection limit (COMMANDS_PER_SECOND).
      await sleep(100);
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

function expectEveryAck(log: GameLog, acked: string[]): void {
  const inLog = new Set(log.commands.map((e) => `${'playerId' in e.cmd ? e.cmd.playerId : ''}@${e.tick}`));
  const missing = acked.filter((a) => !inLog.has(a));
  expect(missing).toEqual([]);
  expect(stateHash(replayLog(log))).toBe(log.end!.hash);
}

describe('rooms served in cluster mode', () => {
  it('a room made on one process plays a whole game; its log is in PostgreSQL and any process serves it', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const { teacher, roomCode, gameId } = await createRoom(a.url, {
      seed: 5,
      settings: { bots: ['scale-up'] },
    });
    const students = await joinStudents(a.url, roomCode, 3);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const acked: string[] = [];
    const p = play(students, acked);
    await sleep(800);
    await p.stop();
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    expect(acked.length).toBeGreaterThan(5);

    // Process b never ran the room, yet lists it and serves its log, from PostgreSQL.
    const games = (await (await fetch(`${b.url}/api/games`)).json()) as { gameId: string; players: number }[];
    expect(games.find((g) => g.gameId === gameId)).toMatchObject({ players: 4 });
    const log = await logOf(b.url, gameId);
    expectEveryAck(log, acked);
    const rows = await s.pool.query<{ epoch: string }>(
      'SELECT DISTINCT epoch FROM game_commands WHERE game_id = $1',
      [gameId],
    );
    expect(rows.rows.map((r) => Number(r.epoch))).toEqual([1]);
    closeAll(students, [teacher]);
  });

  it('kill -9 of the owner mid-game: another process takes the room over and the game goes on', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const { teacher, roomCode, teacherToken, gameId } = await createRoom(a.url, { seed: 7 });
    const students = await joinStudents(a.url, roomCode, 4);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const acked: string[] = [];
    const p = play(students, acked);
    await sleep(700);
    const killedAt = Date.now();
    await killed(a.child);
    await p.stop();
    closeAll(students, [teacher]);

    const out = await printed(b, new RegExp(`Took over room ${roomCode} .* ticking again at (\\S+)`), 15_000);
    const m = new RegExp(`Took over room ${roomCode} .*at tick (\\d+).* ticking again at (\\S+)`).exec(out)!;
    console.log(
      `cluster kill -9: room ${roomCode} ticking again on b ${Date.parse(m[2]!) - killedAt} ms after the kill ` +
        `(lease ${LEASE_MS} ms), resumed at tick ${m[1]}; ${acked.length} commands acknowledged before`,
    );

    // The pages come back on the new owner with their tokens and carry on.
    const t2 = await client(b.url);
    ok(await call(t2, 'teacher:resume', { roomCode, teacherToken }));
    const back: Student[] = [];
    for (const st of students) {
      const sock = await client(b.url);
      ok(await call(sock, 'player:resume', { roomCode, playerToken: st.playerToken }));
      back.push({ ...st, socket: sock });
    }
    const after = acked.length;
    const p2 = play(back, acked);
    await sleep(500);
    await p2.stop();
    expect(acked.length).toBeGreaterThan(after);
    ok(await call(t2, 'teacher:action', { type: 'end' }));
    expectEveryAck(await logOf(b.url, gameId), acked);
    closeAll(back, [t2]);
    await stopChild(b.child);
  });
});
