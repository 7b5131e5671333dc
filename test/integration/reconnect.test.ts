import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { studentView } from '../../shared/views/student-view.ts';
import { StudentViewBuilder } from '../../server/rooms/student-views.ts';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, sleep, testServer } from './helpers.ts';

describe('reconnecting', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  it('resumes the same business mid-game; it kept running while the student was away', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    ok(await call(ann!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    const before = await next(ann!.socket, 'view:student', (v) => v.me.stands.length === 2);
    ann!.socket.close();
    await next(teacher, 'view:class', (v) => v.players.every((p) => !p.connected));
    await sleep(300);

    const back = await client(srv.url);
    const r = ok(
      await call(back, 'player:resume', { roomCode: roomCode.toLowerCase(), playerToken: ann!.playerToken }),
    );
    expect(r).toMatchObject({ playerId: ann!.playerId, name: ann!.name, roomCode });
    const after = await next(back, 'view:student');
    expect(after.me.id).toBe(ann!.playerId);
    expect(after.me.stands).toHaveLength(2);
    expect(after.tick).toBeGreaterThan(before.tick + 10);
    expect(after.me.results.rent).toBeGreaterThan(before.me.results.rent);
    // The resumed connection acts for the same business (the simulation's refusal comes back as the code).
    const refused = await call(back, 'player:action', { type: 'set-policy', policy: 'round-robin' });
    expect(!refused.ok && refused.error.code).toBe('needs-load-balancer');
    await next(teacher, 'view:class', (v) => v.players.every((p) => p.connected));

    const stranger = await client(srv.url);
    const bad = await call(stranger, 'player:resume', { roomCode, playerToken: 'x'.repeat(32) });
    expect(!bad.ok && bad.error.code).toBe('bad-token');
    const otherRoom = await call(stranger, 'player:resume', {
      roomCode: 'QQQQQ',
      playerToken: ann!.playerToken,
    });
    expect(!otherRoom.ok && otherRoom.error.code).toBe('unknown-room');
    closeAll([teacher, back, stranger]);
  });

  it('gives a student who comes back after the end their results', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    ann!.socket.close();
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    const back = await client(srv.url);
    const ended = next(back, 'game:ended');
    ok(await call(back, 'player:resume', { roomCode, playerToken: ann!.playerToken }));
    expect((await ended).me?.id).toBe(ann!.playerId);
    closeAll([teacher, back]);
  });
});

describe('student views built per broadcast', () => {
  it('equal shared studentView() for every player', () => {
    const g = new RecordedGame({ scenario: builtInScenario('fail-whale')!, seed: 7, settings: {} });
    for (let i = 0; i < 6; i++) g.submit({ type: 'join', playerId: `p${i}`, name: `P${i}`, bot: 'hybrid' });
    g.submit({ type: 'start' });
    g.submit({ type: 'kick', playerId: 'p5' });
    for (let t = 0; t < 900; t++) g.advance();
    const ranks = new Map(g.state.players.map((p, i) => [p.id, i + 1]));
    for (const hideScores of [false, true]) {
      const builder = new StudentViewBuilder(g.state, {
        paused: true,
        speed: 2,
        hideScores,
        rankOf: (id) => ranks.get(id) ?? null,
      });
      for (const p of g.state.players) {
        const expected = studentView(g.state, p, {
          paused: true,
          speed: 2,
          hideScores,
          rank: ranks.get(p.id)!,
        });
        expect(JSON.stringify(builder.view(p))).toBe(JSON.stringify(expected));
      }
    }
  });
});
