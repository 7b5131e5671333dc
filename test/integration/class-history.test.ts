import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';

/** A teacher console that reloads gets the class charts from the start of the game, not from now. */
describe('class history for a reloaded teacher console', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 5 });
  });
  afterAll(() => srv.close());

  it('covers the whole game so far; a removed student stops at the kick; no history in the lobby', async () => {
    const { teacher, roomCode, teacherToken } = await createRoom(srv.url, { settings: { speed: 1 } });
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    // In the lobby there is nothing to draw: no history is sent.
    const early = await client(srv.url);
    let lobbyHistory = false;
    early.on('class:history', () => (lobbyHistory = true));
    ok(await call(early, 'teacher:resume', { roomCode, teacherToken }));
    await next(early, 'view:class');
    expect(lobbyHistory).toBe(false);

    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await next(teacher, 'view:class', (v) => v.seconds >= 6);
    const kick = ok(await call(teacher, 'teacher:action', { type: 'kick', playerId: bob!.playerId }));
    await next(teacher, 'view:class', (v) => v.seconds >= 12);

    const reloaded = await client(srv.url);
    const history = next(reloaded, 'class:history');
    ok(await call(reloaded, 'teacher:resume', { roomCode, teacherToken }));
    const h = await history;
    const live = await next(reloaded, 'view:class');
    expect(h.t[0]).toBe(0);
    expect(h.t[h.t.length - 1]).toBeGreaterThanOrEqual(12);
    expect(h.t[h.t.length - 1]).toBeLessThanOrEqual(live.seconds);
    // One sample a game second.
    expect(h.t.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const annRow = h.players.find((p) => p.id === ann!.playerId)!;
    const bobRow = h.players.find((p) => p.id === bob!.playerId)!;
    expect(annRow.samples).toHaveLength(h.t.length);
    expect(annRow.samples[0]).toEqual([0, 0, 0, 0]);
    // Bob is in the history until he was removed, and not after.
    const kickSecond = kick.tick / 10;
    expect(bobRow.samples.length).toBeGreaterThan(0);
    expect(bobRow.samples.every(([sec]) => sec < kickSecond)).toBe(true);
    expect(bobRow.samples.length).toBe(h.t.filter((t) => t < kickSecond).length);
    // Class demand counts the businesses in the game: two before the kick, one after.
    const i = h.t.findIndex((t) => t >= kickSecond);
    expect(h.demand[i - 1]! / h.demand[i]!).toBeGreaterThan(1.5);
    // Counters never go down (the charts' rates are never negative).
    for (const p of h.players)
      for (let k = 1; k < p.samples.length; k++) {
        expect(p.samples[k]![2]).toBeGreaterThanOrEqual(p.samples[k - 1]![2]);
        expect(p.samples[k]![3]).toBeGreaterThanOrEqual(p.samples[k - 1]![3]);
      }
    closeAll([teacher, early, reloaded, ann!.socket, bob!.socket]);
  });
});
