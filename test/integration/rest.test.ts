import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';

describe('REST API', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 1 });
  });
  afterAll(() => srv.close());
  const get = (path: string, headers: Record<string, string> = {}) => fetch(srv.url + path, { headers });

  it('serves health and scenarios', async () => {
    expect(await (await get('/health')).json()).toMatchObject({ ok: true });
    const scenarios = (await (await get('/api/scenarios')).json()) as { id: string }[];
    expect(scenarios.map((s) => s.id)).toContain('chaos-day');
    const info = (await (await get('/api/info')).json()) as { lanUrls: string[] };
    for (const u of info.lanUrls) expect(u).toMatch(/^http:\/\/[\d.]+:\d+$/);
  });

  it("keeps a running game's log for its teacher, then opens it to all once the game has ended", async () => {
    const { teacher, gameId, teacherToken, roomCode } = await createRoom(srv.url, {
      scenarioId: 'fail-whale',
      settings: { bots: ['hybrid', 'scale-up'], className: '  Year 9 B ' },
    });
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));

    const refused = await get(`/api/games/${gameId}/log`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/still running/);
    expect((await get(`/api/games/${gameId}`)).status).toBe(403);
    expect((await get(`/api/games/${gameId}/log`, { 'x-teacher-token': 'x'.repeat(32) })).status).toBe(403);
    const forTeacher = await get(`/api/games/${gameId}/log`, { 'x-teacher-token': teacherToken });
    expect(forTeacher.status).toBe(200);
    expect(((await forTeacher.json()) as { format: string }).format).toBe('lemonscale-log');

    const ended = next(ann!.socket, 'game:ended', () => true, 50_000);
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    await ended;
    const open = await get(`/api/games/${gameId}/log`);
    expect(open.status).toBe(200);
    expect(open.headers.get('content-disposition')).toMatch(/attachment; filename="lemonscale-fail-whale-/);

    // The list names the class, and says the teacher ended this game early.
    type Listed = { gameId: string; className: string; ended: boolean; endedEarly: boolean };
    const list = (await (await get('/api/games?scenario=fail-whale')).json()) as Listed[];
    expect(list.find((g) => g.gameId === gameId)).toMatchObject({
      className: 'Year 9 B',
      ended: true,
      endedEarly: true,
    });
    expect((await get('/api/games?scenario=Not%20an%20id')).status).toBe(400);

    // A game played to its end (the same class at speed 8): the only one compared across classes.
    const full = await createRoom(srv.url, {
      scenarioId: 'fail-whale',
      settings: { bots: ['hybrid', 'scale-up'], className: 'Year 9 B', speed: 8 },
    });
    const [bea] = await joinStudents(srv.url, full.roomCode, 1, 'Bea');
    const fullEnd = next(bea!.socket, 'game:ended', () => true, 50_000);
    ok(await call(full.teacher, 'teacher:action', { type: 'start' }));
    await fullEnd;
    const history = (await (await get('/api/scenarios/fail-whale/history')).json()) as {
      games: {
        gameId: string;
        className: string;
        outcome: { players: number; top: { bot: boolean }[]; strategies: unknown[] };
      }[];
    };
    expect(history.games.map((g) => g.gameId)).not.toContain(gameId);
    const mine = history.games.find((g) => g.gameId === full.gameId)!;
    expect(mine.className).toBe('Year 9 B');
    const listed = (await (await get('/api/games?scenario=fail-whale')).json()) as Listed[];
    expect(listed.find((g) => g.gameId === full.gameId)).toMatchObject({ ended: true, endedEarly: false });
    expect(mine.outcome.players).toBe(3);
    expect(mine.outcome.top.filter((t) => t.bot)).toHaveLength(2);
    expect(mine.outcome.strategies.length).toBeGreaterThan(0);
    expect((await get('/api/nothing')).status).toBe(404);
    closeAll([teacher, full.teacher], [ann!, bea!]);
  });
});
