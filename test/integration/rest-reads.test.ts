import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { call, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';

/**
 * What a game's REST answers cost. Reading a game's whole log (a 100,000-command game: ~0.4 s of the
 * event loop) to answer 403, or again for every download of the same ended game, let anyone with its id
 * (the list is public) stall every room by asking in a loop. Who may read it is decided from the game's
 * head alone; its details need nothing more; an ended game's log, which no longer changes, is read once.
 */
describe('REST reads of a game', () => {
  let srv: RunningServer;
  const store = new MemoryStore();
  const fullReads = vi.spyOn(store, 'getGame');
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 1, logReadsPerMinute: 4 }, { store });
  });
  afterAll(() => srv.close());
  const get = (path: string, headers: Record<string, string> = {}) => fetch(srv.url + path, { headers });

  it('reads the whole log only to hand it out, and an ended game only once', async () => {
    const { teacher, gameId, teacherToken, roomCode } = await createRoom(srv.url, {
      scenarioId: 'fail-whale',
    });
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    fullReads.mockClear();

    expect((await get(`/api/games/${gameId}`)).status).toBe(403);
    expect((await get(`/api/games/${gameId}/log`)).status).toBe(403);
    expect((await get(`/api/games/${gameId}/log`, { 'x-teacher-token': 'x'.repeat(32) })).status).toBe(403);
    const details = await get(`/api/games/${gameId}`, { 'x-teacher-token': teacherToken });
    expect(details.status).toBe(200);
    expect(((await details.json()) as { scenario: { id: string } }).scenario.id).toBe('fail-whale');
    expect(fullReads).not.toHaveBeenCalled();
    // The teacher's download of a running game is read as it is now.
    expect((await get(`/api/games/${gameId}/log`, { 'x-teacher-token': teacherToken })).status).toBe(200);
    expect(fullReads).toHaveBeenCalledTimes(1);

    const ended = next(ann!.socket, 'game:ended', () => true, 50_000);
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    await ended;
    fullReads.mockClear();
    const logs = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const r = await get(`/api/games/${gameId}/log`);
        expect(r.status).toBe(200);
        expect(r.headers.get('content-disposition')).toMatch(/lemonscale-fail-whale-/);
        return r.text();
      }),
    );
    expect(new Set(logs).size).toBe(1);
    expect((JSON.parse(logs[0]!) as { end: unknown }).end).toBeTruthy();
    expect(fullReads).toHaveBeenCalledTimes(1);
    expect((await get('/api/games/0123456789abcdef')).status).toBe(404);
    expect((await get('/api/games/0123456789abcdef/log')).status).toBe(404);
    expect(fullReads).toHaveBeenCalledTimes(1);
    closeAll([teacher], [ann!]);
  });

  /** An ended game with one student, its log not read yet. */
  const endedGame = async (): Promise<{ gameId: string }> => {
    const { teacher, gameId, roomCode } = await createRoom(srv.url, { scenarioId: 'fail-whale' });
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const ended = next(ann!.socket, 'game:ended', () => true, 50_000);
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    await ended;
    closeAll([teacher], [ann!]);
    return { gameId };
  };

  it('downloads of an ended game that come while its log is being read share that read', async () => {
    const { gameId } = await endedGame();
    // A slow store (PostgreSQL, or a long log): every request arrives before the first read is over.
    const read = MemoryStore.prototype.getGame.bind(store);
    fullReads
      .mockReset()
      .mockImplementation(
        ((id: string) => new Promise((r) => setTimeout(() => r(read(id)), 100))) as unknown as typeof read,
      );
    try {
      const statuses = await Promise.all(
        Array.from({ length: 5 }, async () => (await get(`/api/games/${gameId}/log`)).status),
      );
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(fullReads).toHaveBeenCalledTimes(1);
    } finally {
      fullReads.mockReset();
    }
  });

  it("limits an address's reads of logs from the store (429, in words); kept logs are still sent", async () => {
    const { gameId: kept } = await endedGame();
    expect((await get(`/api/games/${kept}/log`)).status).toBe(200);
    // Each new ended game's first download is a read from the store (rooms per address allow a few).
    let refused: Response | undefined;
    for (let i = 0; i < 4 && !refused; i++) {
      const r = await get(`/api/games/${(await endedGame()).gameId}/log`);
      if (r.status === 429) refused = r;
      else expect(r.status).toBe(200);
    }
    expect(refused).toBeDefined();
    expect(((await refused!.json()) as { error: string }).error).toMatch(/too many game logs/i);
    expect(refused!.headers.get('retry-after')).toBe('60');
    // The cache answers without a read: not counted, not refused.
    expect((await get(`/api/games/${kept}/log`)).status).toBe(200);
  });
});
