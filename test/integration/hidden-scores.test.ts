import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassView } from '../../shared/protocol/views.ts';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';

/** Every number anywhere in a view (what a screen could show, or a script could read). */
function numbersIn(x: unknown, out: number[] = []): number[] {
  if (typeof x === 'number') out.push(x);
  else if (Array.isArray(x)) for (const v of x) numbersIn(v, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) numbersIn(v, out);
  return out;
}

describe('hidden scores', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10, classViewIntervalMs: 50 });
  });
  afterAll(() => srv.close());

  it('a projector reading the class while scores are hidden learns no player’s numbers', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { hideScores: true, speed: 4 } });
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    const projector = await client(srv.url);
    ok(await call(projector, 'projector:watch', { roomCode }));
    const seen: ClassView[] = [];
    projector.on('view:class', (v) => seen.push(v));
    const taught: ClassView[] = [];
    teacher.on('view:class', (v) => taught.push(v));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    // Ann is alone in scale-up, Bob alone in scale-out: a median of one is that player's profit.
    ok(await call(ann!.socket, 'player:action', { type: 'upgrade', standId: 0 }));
    ok(await call(bob!.socket, 'player:action', { type: 'buy', item: 'stand' }));

    // The teacher's view shows the leak the projector must not: a strategy held by one player whose
    // median is that player's profit, once profits have moved.
    const revealing = await next(teacher, 'view:class', (v) => {
      const a = v.leaderboard.find((r) => r.id === ann!.playerId);
      const s = v.strategies.find((x) => x.strategy === 'scale-up');
      return a !== undefined && a.profit !== 0 && s?.players === 1 && s.medianProfit === a.profit;
    });
    await next(projector, 'view:class', (v) => v.tick > revealing.tick);
    expect(seen.length).toBeGreaterThan(0);
    for (const v of seen) {
      expect(v.scoresHidden).toBe(true);
      expect(v.leaderboard).toEqual([]);
      expect(v.strategies).toEqual([]);
      // The class sums are withheld, not zero (a 0 reads as a fact: "no business open", "none served");
      // what is the same for every business stays.
      expect(v.totals).toEqual({
        demand: expect.any(Number),
        players: 2,
        capacity: null,
        served: null,
        lost: null,
        playersAvailable: null,
      });
    }
    // The teacher's view has every sum.
    for (const v of taught) for (const n of Object.values(v.totals)) expect(typeof n).toBe('number');
    // Teacher and projector views are built together: at each tick both saw, nothing on the projector
    // equals a student's profit (the figure the
    // per-strategy medians gave away).
    let compared = 0;
    for (const t of taught) {
      const secrets = t.leaderboard
        .filter((r) => r.bot === null)
        .map((r) => r.profit)
        .filter((n) => n !== 0);
      const p = seen.find((v) => v.tick === t.tick);
      if (!p || secrets.length === 0) continue;
      compared++;
      const shown = new Set(numbersIn(p));
      for (const n of secrets) expect(shown.has(n), `${n} in ${JSON.stringify(p)}`).toBe(false);
    }
    expect(compared).toBeGreaterThan(0);
    closeAll([teacher, projector, ann!.socket, bob!.socket]);
  });
});
