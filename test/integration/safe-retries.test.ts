import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LB_POLICIES } from '../../shared/sim/commands.ts';
import { SqliteStore } from '../../server/storage/sqlite-store.ts';
import { startChild } from './child-server.ts';
import { call, client, closeAll, createRoom, joinStudents, ok, type ClientSocket } from './helpers.ts';

/** Retrying everything at once is what this test does: no action budget in the way. */
const UNLIMITED = { COMMANDS_PER_SECOND: '100000', EVENTS_PER_SECOND: '100000' };

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('safe retries across kill -9', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-retry-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('commands whose acks died with the server are retried with their ids: none applied twice', async () => {
    const first = await startChild(dataDir, UNLIMITED);
    children.push(first.child);
    const { teacher, roomCode, teacherToken, gameId } = await createRoom(first.url, {
      scenarioId: 'going-viral',
      seed: 5,
    });
    const students = await joinStudents(first.url, roomCode, 4);
    ok(await call(teacher, 'teacher:action', { type: 'start', commandId: 'start-0001' }));
    for (const s of students)
      ok(
        await call(s.socket, 'player:action', {
          type: 'buy',
          item: 'load-balancer',
          commandId: `lb-${s.playerId}`,
        }),
      );

    // Each student changes policy as fast as acks come, pipelining 4 at a time, until the server dies:
    // the commands in flight at the kill are the ones whose acks are lost (some were already durable).
    const sent = new Map<string, { socket: ClientSocket; playerId: string; policy: string }>();
    const acked = new Map<string, number>();
    let stop = false;
    const loops = students.flatMap((s) =>
      Array.from({ length: 4 }, async (_, lane) => {
        for (let n = 0; !stop; n++) {
          const commandId = `pol-${s.playerId}-${lane}-${n}`;
          const policy = LB_POLICIES[n % LB_POLICIES.length]!;
          sent.set(commandId, { socket: s.socket, playerId: s.playerId, policy });
          const r = await call(s.socket, 'player:action', { type: 'set-policy', policy, commandId }).catch(
            () => null,
          );
          if (!r || !r.ok) return;
          acked.set(commandId, r.tick);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 400));
    await killed(first.child);
    stop = true;
    closeAll([teacher], students);
    await Promise.all(loops);
    const lost = [...sent.keys()].filter((id) => !acked.has(id));
    expect(acked.size).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);

    // Restart; every student resumes and sends its recent commands again (a client retries what had no
    // ack; sending the acknowledged ones too attacks harder).
    const second = await startChild(dataDir, UNLIMITED);
    children.push(second.child);
    const again = new Map<string, ClientSocket>();
    for (const s of students) {
      const sock = await client(second.url);
      ok(await call(sock, 'player:resume', { roomCode, playerToken: s.playerToken }));
      again.set(s.playerId, sock);
    }
    // A room remembers the last 256 ids of each sender (a client retries its last few commands): send
    // again each student's last 200, which holds every one whose ack was lost.
    const recent = students.flatMap((st) =>
      [...sent].filter(([, c]) => c.playerId === st.playerId).slice(-200),
    );
    for (const id of lost) expect(recent.some(([r]) => r === id)).toBe(true);
    const retried = new Map<string, number>();
    for (const [commandId, c] of recent) {
      const r = ok(
        await call(again.get(c.playerId)!, 'player:action', {
          type: 'set-policy',
          policy: c.policy,
          commandId,
        }),
      );
      retried.set(commandId, r.tick);
    }
    // An acknowledged command answers its first tick again.
    for (const [id, tick] of acked) if (retried.has(id)) expect(retried.get(id)).toBe(tick);
    expect([...acked.keys()].filter((id) => retried.has(id)).length).toBeGreaterThan(0);
    const t = await client(second.url);
    ok(await call(t, 'teacher:resume', { roomCode, teacherToken }));
    expect(await call(t, 'teacher:action', { type: 'start', commandId: 'start-0001' })).toMatchObject({
      ok: true,
      tick: 0,
    });
    closeAll([t, ...again.values()]);
    await killed(second.child);

    // Each id is in the log exactly once: applied once, whether its ack was lost or not.
    const store = new SqliteStore(dataDir);
    const log = store.getGame(gameId)!.log;
    store.close();
    const ids = log.commands.flatMap((e) => (e.id ? [e.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of sent.keys()) expect(ids.filter((x) => x === id)).toHaveLength(1);
    expect(ids.filter((x) => x === 'start-0001')).toHaveLength(1);
  }, 60_000);
});
