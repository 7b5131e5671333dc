import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { createLogger } from '../../server/logging.ts';
import type { RunningServer } from '../../server/server.ts';
import { DAY_MS } from '../../server/storage/game-retention.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { closeAll, createRoom, testServer, type ClientSocket } from './helpers.ts';

// What people see of a game the retention sweep deleted: its replay link, its download and its details
// say so in words (410), the lists no longer hold it, and the game of a room still open is never taken.

const START = Date.UTC(2026, 0, 5);
const ENDED = 'a1b2c3d4e5f60718';

describe('a game deleted after GAME_RETENTION_DAYS', () => {
  let srv: RunningServer;
  let teacher: ClientSocket;
  let openGameId: string;
  const clock = { t: START, now: () => clock.t };
  const store = new MemoryStore({ now: clock.now });
  const logger = createLogger('silent');
  const info = vi.spyOn(logger, 'info');
  const get = (path: string) => fetch(srv.url + path);

  beforeAll(async () => {
    // A class's game, played and ended before the server started.
    store.createGame({
      gameId: ENDED,
      roomCode: 'QWERT',
      createdAt: START,
      header: { scenario: builtInScenario('fail-whale')!, seed: 1, settings: {} },
      teacherTokenHash: 'h',
      room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
    });
    store.appendCommands(ENDED, 0, [{ tick: 0, cmd: { type: 'start' } }]);
    store.endGame(ENDED, { tick: 5, hash: '00' }, START, {
      players: 1,
      medianProfit: 0,
      strategies: [],
      top: [],
    });
    store.closeRoom(ENDED);
    srv = await testServer({ gameRetentionDays: 30 }, { logger, store, now: clock.now });
    // A room opened that day and left open (a lobby: nothing more is written for it).
    const room = await createRoom(srv.url, { scenarioId: 'fail-whale' });
    teacher = room.teacher;
    openGameId = room.gameId;
  });
  afterAll(async () => {
    closeAll([teacher]);
    await srv.close();
  });

  it('answers 410 in words for its log, its details and its replay link; the lists drop it; an open room stays', async () => {
    // No sweep yet (the first runs an hour after start); the log is read (and kept by the ended-log cache).
    expect((await get(`/api/games/${ENDED}/log`)).status).toBe(200);

    clock.t = START + 31 * DAY_MS;
    expect(await srv.retention!.sweep()).toBe(1);
    expect(info).toHaveBeenCalledWith(
      { games: 1, retentionDays: 30 },
      'deleted 1 game not played for 30 days',
    );

    for (const path of [`/api/games/${ENDED}/log`, `/api/games/${ENDED}`]) {
      const r = await get(path);
      expect(r.status, path).toBe(410);
      expect(await r.json()).toEqual({
        error:
          'This game was deleted on 2026-02-05 (UTC): this server keeps a game 30 days after it was last played.',
        deleted: true,
      });
    }
    const games = (await (await get('/api/games')).json()) as { gameId: string }[];
    expect(games.map((g) => g.gameId)).toEqual([openGameId]);
    const history = (await (await get('/api/scenarios/fail-whale/history')).json()) as {
      games: unknown[];
      retentionDays: number;
    };
    expect(history).toEqual({ scenarioId: 'fail-whale', games: [], retentionDays: 30 });
    // A game that never was is still just unknown.
    expect((await get('/api/games/0123456789abcdef/log')).status).toBe(404);
    // The open room's game is as old, and stays.
    expect(store.getGame(openGameId)).toBeDefined();
    expect(srv.registry.byGameId(openGameId)).toBeDefined();
  });

  it('answers 410, not 404, for a log whose game the sweep deletes while it is read', async () => {
    const LATER = 'b2c3d4e5f6071829';
    store.createGame({
      gameId: LATER,
      roomCode: 'ASDFG',
      createdAt: clock.t,
      header: { scenario: builtInScenario('fail-whale')!, seed: 2, settings: {} },
      teacherTokenHash: 'h',
      room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
    });
    store.endGame(LATER, { tick: 5, hash: '00' }, clock.t, {
      players: 0,
      medianProfit: 0,
      strategies: [],
      top: [],
    });
    store.closeRoom(LATER);
    clock.t += 31 * DAY_MS;
    // The game's head is read; then, before its log is, a sweep (another process's) deletes it.
    const read = store.getGame.bind(store);
    vi.spyOn(store, 'getGame').mockImplementationOnce((id) => {
      store.deleteStaleGames(clock.t - 30 * DAY_MS, new Set([openGameId]), 20);
      return read(id);
    });
    const r = await get(`/api/games/${LATER}/log`);
    expect(r.status).toBe(410);
    expect(((await r.json()) as { deleted: boolean }).deleted).toBe(true);
  });
});
