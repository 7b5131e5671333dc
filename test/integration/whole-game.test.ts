import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinalResults } from '../../shared/protocol/views.ts';
import { parseLog } from '../../shared/sim/game-log.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { businessHash } from '../../shared/stream/business-hash.ts';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, joinStudents, next, ok, testServer, type Student } from './helpers.ts';
import { followStream, onView } from './stream-client.ts';

/**
 * A whole class: a teacher, 30 students and two bots, fast-forwarded to the end of a 10-minute scenario.
 * Students buy what their shop allows; every acknowledged command must be in the downloaded log, and the
 * log must replay to the final hash everyone was given.
 */
describe('a whole game with a teacher and 30 students', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 1, studentViewIntervalMs: 50 });
  });
  afterAll(() => srv.close());

  it('plays to the end, gives everyone results, and the log replays to the same hash', async () => {
    const { teacher, roomCode, gameId } = await createRoom(srv.url, {
      seed: 42,
      settings: { speed: 8, bots: ['scale-out', 'hybrid'], maxPlayers: 40 },
    });
    const students = await joinStudents(srv.url, roomCode, 30);
    const lobby = await next(
      teacher,
      'view:class',
      (v) => v.players.filter((p) => p.connected).length === 32,
    );
    expect(lobby.status).toBe('lobby');

    // Every student acts on their views: buys the first thing their shop allows, one request at a time.
    const acked: { playerId: string; tick: number; type: string }[] = [];
    const views = new Map<string, number>();
    const leaks: string[] = [];
    const act = (st: Student): void => {
      let busy = false;
      // The views are the ones each student's own business shows, followed from the tick stream.
      onView(st.socket, (v) => {
        const shop = v.shop;
        views.set(st.playerId, (views.get(st.playerId) ?? 0) + 1);
        if (v.me.id !== st.playerId) leaks.push(v.me.id);
        if (busy || v.status !== 'running') return;
        const item = shop.find((i) => i.allowed);
        if (!item) return;
        busy = true;
        void call(st.socket, 'player:action', item.action).then((r) => {
          busy = false;
          if (r.ok) acked.push({ playerId: st.playerId, tick: r.tick, type: item.action.type });
        });
      });
    };
    students.forEach(act);
    const ended = students.map((s) => next(s.socket, 'game:ended', () => true, 50_000));
    const teacherEnded = next(teacher, 'game:ended', () => true, 50_000);

    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const results = (await Promise.all(ended)) as FinalResults[];
    const teacherResults = (await teacherEnded) as FinalResults;

    expect(leaks).toEqual([]);
    // Every business followed in the "browser" agreed with the server at every proof, with no resync
    // (the game runs in a few seconds: a proof or two each), and ended as the server's log ends it.
    for (const s of students) {
      const b = followStream(s.socket);
      expect(b.follower.agreed, s.name).toBeGreaterThan(0);
      expect(b.follower.mismatches + b.gaps + b.resyncs + b.badSnapshots, s.name).toBe(0);
      expect(b.follower.state!.status).toBe('ended');
    }
    expect(acked.length).toBeGreaterThan(30);
    for (const s of students) expect(views.get(s.playerId)).toBeGreaterThan(3);
    results.forEach((r, i) => {
      expect(r.gameId).toBe(gameId);
      // Each student gets their own debrief (the scenario's scheduled outage and surge are in it).
      expect(r.debrief!.some((e) => e.kind === 'outage' && e.lesson !== null)).toBe(true);
      expect(r.leaderboard).toHaveLength(32);
      expect(r.me?.id).toBe(students[i]!.playerId);
      expect(r.hash).toBe(teacherResults.hash);
    });
    expect(teacherResults.me).toBeUndefined();
    expect(teacherResults.strategies.length).toBeGreaterThan(0);

    // The downloaded log replays to the final hash, and holds every acknowledged command at its tick.
    const res = await fetch(`${srv.url}/api/games/${gameId}/log`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const parsed = parseLog(await res.json());
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const log = parsed.value;
    expect(log.end?.hash).toBe(teacherResults.hash);
    const final = replayLog(log);
    expect(stateHash(final)).toBe(teacherResults.hash);
    for (const s of students) {
      const f = followStream(s.socket).follower;
      expect(businessHash(f.state!, f.me!), s.name).toBe(businessHash(final, findPlayer(final, s.playerId)!));
    }
    const inLog = new Set(
      log.commands.map((e) => `${'playerId' in e.cmd ? e.cmd.playerId : ''}@${e.tick}:${e.cmd.type}`),
    );
    for (const a of acked) expect(inLog.has(`${a.playerId}@${a.tick}:${a.type}`)).toBe(true);

    const games = (await (await fetch(`${srv.url}/api/games`)).json()) as {
      gameId: string;
      status: string;
    }[];
    expect(games.find((g) => g.gameId === gameId)?.status).toBe('ended');
    closeAll(students, [teacher]);
  });
});
