import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, sleep, testServer } from './helpers.ts';
import { followStream, nextView } from './stream-client.ts';
import { TICK_STREAM_VERSION } from '../../shared/protocol/tick-stream.ts';

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
    const before = await nextView(ann!.socket, (v) => v.me.stands.length === 2);
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
    const after = await nextView(back);
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

describe('the tick stream on the wire', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 25, studentViewIntervalMs: 50, resyncsPerMinute: 3 });
  });
  afterAll(() => srv.close());

  it("a second device follows the same business, gets the other device's commands, and both agree", async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    const phone = await client(srv.url);
    ok(await call(phone, 'player:resume', { roomCode, playerToken: ann!.playerToken }));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const bought = ok(await call(ann!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    const onPhone = await nextView(phone, (v) => v.me.stands.length === 2);
    expect(onPhone.tick).toBeGreaterThanOrEqual(bought.tick);
    // Both devices' businesses agree with the server's proofs, without a hole or a resync.
    const laptop = followStream(ann!.socket);
    const mobile = followStream(phone);
    await nextView(phone, () => mobile.follower.agreed >= 2 && laptop.follower.agreed >= 2);
    for (const b of [laptop, mobile]) {
      expect(b.follower.mismatches).toBe(0);
      expect(b.gaps + b.resyncs + b.badSnapshots).toBe(0);
    }
    const health = (await (await fetch(`${srv.url}/health`)).json()) as { stream: { resyncs: number } };
    expect(health.stream.resyncs).toBe(0);
    closeAll([teacher, phone], [ann!]);
  });

  it('refuses a malformed resync, a future tick, a stranger and a flood, changing nothing', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await nextView(ann!.socket, (v) => v.tick > 3);
    const s = ann!.socket;
    const malformed = await call(s, 'stream:resync', { v: TICK_STREAM_VERSION, tick: -1, reason: 'because' });
    expect(!malformed.ok && malformed.error.code).toBe('invalid-payload');
    const oldPage = await call(s, 'stream:resync', { v: TICK_STREAM_VERSION - 1, tick: 0, reason: 'gap' });
    expect(!oldPage.ok && oldPage.error.message).toMatch(/reload/);
    const future = await call(s, 'stream:resync', {
      v: TICK_STREAM_VERSION,
      tick: 10_000_000,
      reason: 'gap',
    });
    expect(!future.ok && future.error.code).toBe('future-tick');
    const stranger = await client(srv.url);
    const notPlayer = await call(stranger, 'stream:resync', {
      v: TICK_STREAM_VERSION,
      tick: 0,
      reason: 'gap',
    });
    expect(!notPlayer.ok && notPlayer.error.code).toBe('not-player');
    const before = (await (await fetch(`${srv.url}/health`)).json()) as { stream: { resyncs: number } };
    expect(before.stream.resyncs).toBe(0);

    // A resync gives a fresh snapshot; a flood from one connection is cut off by the rate limit.
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await call(s, 'stream:resync', { v: TICK_STREAM_VERSION, tick: 0, reason: 'gap' }));
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
    expect(answers.slice(3).every((a) => !a.ok && a.error.code === 'rate-limited')).toBe(true);
    const after = (await (await fetch(`${srv.url}/health`)).json()) as { stream: { resyncs: number } };
    expect(after.stream.resyncs).toBe(3);
    // Still in step after all that.
    const b = followStream(s);
    const agreed = b.follower.agreed;
    await nextView(s, () => b.follower.agreed > agreed);
    expect(b.follower.mismatches).toBe(0);
    closeAll([teacher, stranger], [ann!]);
  });

  it('a tick message is the same small message for every student and names no one', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { hideScores: true } });
    const students = await joinStudents(srv.url, roomCode, 3);
    const seen: { who: number; text: string }[] = [];
    students.forEach((st, who) =>
      st.socket.on('stream:tick', (m) => seen.push({ who, text: JSON.stringify(m) })),
    );
    const proofs: (number | null)[] = [];
    students[0]!.socket.on('stream:proof', (p) => proofs.push(p.place?.rank ?? null));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    ok(await call(students[1]!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    await sleep(1500);
    const byStudent = [0, 1, 2].map((w) => seen.filter((x) => x.who === w).map((x) => x.text));
    expect(byStudent[0]!.length).toBeGreaterThan(10);
    // The very same messages reached everyone (one encoding per room).
    const common = byStudent[0]!.filter((t) => byStudent[1]!.includes(t) && byStudent[2]!.includes(t));
    expect(common.length).toBeGreaterThan(byStudent[0]!.length - 3);
    for (const t of byStudent[0]!) {
      expect(t.length).toBeLessThan(400);
      for (const st of students) expect(t).not.toContain(st.playerId);
    }
    // Hidden scores: no rank either.
    expect(proofs.length).toBeGreaterThan(0);
    expect(proofs.every((r) => r === null)).toBe(true);
    closeAll([teacher], students);
  });
});
