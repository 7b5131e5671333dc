import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLog } from '../../shared/sim/game-log.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, sleep } from './helpers.ts';
import { nextView } from './stream-client.ts';
// The server as its own process, so that kill -9 kills the server.
import { startChild } from './child-server.ts';

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('kill -9 and restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-crash-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings rooms back at their last tick, with every acknowledged command', async () => {
    const first = await startChild(dataDir);
    children.push(first.child);
    const { teacher, roomCode, teacherToken, gameId } = await createRoom(first.url, {
      seed: 3,
      settings: { speed: 2, bots: ['scale-up'] },
    });
    const students = await joinStudents(first.url, roomCode, 5);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    ok(await call(teacher, 'teacher:action', { type: 'lock', locked: true }));

    // Students buy as fast as they are acknowledged until the server dies under them.
    const acked: string[] = [];
    let lastTick = 0;
    let stop = false;
    const loops = students.map(async (s) => {
      while (!stop) {
        const r = await call(s.socket, 'player:action', { type: 'set-lb-mode', mode: 'active-active' }).catch(
          () => null,
        );
        if (!r) return;
        if (r.ok) {
          acked.push(`${s.playerId}@${r.tick}`);
          lastTick = Math.max(lastTick, r.tick);
        } else {
          const b = await call(s.socket, 'player:action', { type: 'buy', item: 'load-balancer' }).catch(
            () => null,
          );
          if (!b) return;
          if (b.ok) {
            lastTick = Math.max(lastTick, b.tick);
          }
        }
        await sleep(20);
      }
    });
    ok(
      await call(teacher, 'teacher:action', {
        type: 'event',
        event: { kind: 'announce', text: 'before the crash' },
      }),
    );
    await sleep(1200);
    await killed(first.child);
    stop = true;
    await Promise.all(loops);
    closeAll(students, [teacher]);
    expect(acked.length).toBeGreaterThan(10);

    const second = await startChild(dataDir);
    children.push(second.child);
    const t2 = await client(second.url);
    ok(await call(t2, 'teacher:resume', { roomCode, teacherToken }));
    const cv = await next(t2, 'view:class');
    expect(cv.status).toBe('running');
    expect(cv.locked).toBe(true);
    expect(cv.tick).toBeGreaterThanOrEqual(lastTick);
    expect(cv.players.filter((p) => !p.bot)).toHaveLength(5);

    const s2 = await client(second.url);
    const who = ok(await call(s2, 'player:resume', { roomCode, playerToken: students[2]!.playerToken }));
    expect(who.playerId).toBe(students[2]!.playerId);
    const v = await nextView(s2);
    expect(v.me.lbMode).toBe('active-active');
    expect(v.banners.some((b) => b.text === 'before the crash')).toBe(true);

    // Every acknowledged command is in the log; the log rebuilds the game and replays to its end.
    ok(await call(t2, 'teacher:action', { type: 'end' }));
    const log = parseLog(await (await fetch(`${second.url}/api/games/${gameId}/log`)).json());
    if (!log.ok) throw new Error(log.errors.join('; '));
    const inLog = new Set(
      log.value.commands.map((e) => `${'playerId' in e.cmd ? e.cmd.playerId : ''}@${e.tick}`),
    );
    for (const a of acked) expect(inLog.has(a), a).toBe(true);
    expect(stateHash(replayLog(log.value))).toBe(log.value.end!.hash);
    closeAll([t2, s2]);
    second.child.kill('SIGTERM');
  });
});
