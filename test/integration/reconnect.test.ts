import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    // While you were away: what the business did meanwhile.
    expect(r.away).not.toBeNull();
    expect(r.away!.seconds).toBeGreaterThanOrEqual(3);
    expect(r.away!.text).toMatch(/^While you were away \(\d+ s\): \d+ customers? served, \d+ lost/);
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

describe('student views on the wire', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 100, studentViewIntervalMs: 50 });
  });
  afterAll(() => srv.close());

  it('carry the shop when a connection does not have it yet or it changed, and leave it out otherwise', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    const seen: { shop: boolean; stands: number }[] = [];
    ann!.socket.on('view:student', (v) =>
      seen.push({ shop: v.shop !== undefined, stands: v.me.stands.length }),
    );
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await sleep(600);
    ok(await call(ann!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    await next(ann!.socket, 'view:student', (v) => v.me.stands.length === 2);
    await sleep(300);
    const quiet = seen.filter((v) => v.stands === 1);
    expect(quiet.length).toBeGreaterThan(4);
    // The game starting opened the shop (a change); after that, views of the same shop leave it out.
    expect(quiet.filter((v) => !v.shop).length).toBeGreaterThan(2);
    // Buying a stand changed the shop (an upgrade for the new stand), so it came along.
    expect(seen.find((v) => v.stands === 2)!.shop).toBe(true);

    // A new connection for the same player gets the whole view first.
    const back = await client(srv.url);
    const first = next(back, 'view:student');
    ok(await call(back, 'player:resume', { roomCode, playerToken: ann!.playerToken }));
    expect((await first).shop).toBeDefined();
    closeAll([teacher, back], [ann!]);
  });
});
