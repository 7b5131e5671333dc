import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeacherEvent } from '../../shared/sim/teacher-events.ts';
import { TEACHER_EVENT_KINDS } from '../../shared/sim/teacher-events.ts';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, sleep, testServer } from './helpers.ts';
import { nextView } from './stream-client.ts';

/** Every event of the game model, with its parameters. */
const EVENTS: TeacherEvent[] = [
  { kind: 'surge', multiplier: 5, durationSeconds: 20 },
  { kind: 'stand-outage', which: 'biggest', repairSeconds: 10 },
  { kind: 'stand-outage', which: 'index', index: 0, repairSeconds: 10 },
  { kind: 'stand-outage', which: 'share', share: 0.5, repairSeconds: 10 },
  { kind: 'lb-outage', repairSeconds: 10 },
  { kind: 'notebook-outage', repairSeconds: 10 },
  { kind: 'chaos', failuresPerMinute: 6, durationSeconds: 30, repairSeconds: 5 },
  { kind: 'sale', discountPercent: 50, durationSeconds: 30 },
  { kind: 'rent-rise', multiplier: 2, durationSeconds: 30 },
  { kind: 'announce', text: 'Friday is coming: scale before the rush!' },
];

describe('teacher actions', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  it('lobby: students arrive and leave, the teacher kicks and locks', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann, bob, cat] = await joinStudents(srv.url, roomCode, 3);
    await next(teacher, 'view:class', (v) => v.players.length === 3 && v.players.every((p) => p.connected));

    cat!.socket.close();
    const left = await next(teacher, 'view:class', (v) => v.players.some((p) => !p.connected));
    expect(left.players.find((p) => p.id === cat!.playerId)?.connected).toBe(false);

    // Kick: the student is told, the token stops working, the business is removed.
    const kicked = next(bob!.socket, 'player:kicked');
    ok(await call(teacher, 'teacher:action', { type: 'kick', playerId: bob!.playerId }));
    expect((await kicked).message).toMatch(/removed/);
    const r = await call(bob!.socket, 'player:action', { type: 'buy', item: 'stand' });
    expect(!r.ok && r.error.code).toBe('not-player');
    const again = await client(srv.url);
    const resumed = await call(again, 'player:resume', { roomCode, playerToken: bob!.playerToken });
    expect(!resumed.ok && resumed.error.code).toBe('kicked');
    const view = await next(teacher, 'view:class', (v) => v.players.some((p) => p.removed));
    expect(view.players.find((p) => p.id === bob!.playerId)?.removed).toBe(true);
    // The kicked name is free again.
    ok(await call(again, 'player:join', { roomCode, nickname: bob!.name }));

    // Lock: new students are refused with a clear message; the teacher unlocks.
    ok(await call(teacher, 'teacher:action', { type: 'lock', locked: true }));
    const late = await client(srv.url);
    const refused = await call(late, 'player:join', { roomCode, nickname: 'Dora' });
    expect(!refused.ok && refused.error.code).toBe('room-locked');
    expect((await next(teacher, 'view:class', (v) => v.locked)).locked).toBe(true);
    ok(await call(teacher, 'teacher:action', { type: 'lock', locked: false }));
    ok(await call(late, 'player:join', { roomCode, nickname: 'Dora' }));
    closeAll([teacher, again, late, ann!.socket, bob!.socket]);
  });

  it('play: start, pause, resume, speed, every event, announcements, end', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { speed: 1 } });
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    const s = ann!.socket;

    const early = await call(teacher, 'teacher:action', { type: 'pause' });
    expect(!early.ok && early.error.code).toBe('game-not-started');
    const started = ok(await call(teacher, 'teacher:action', { type: 'start' }));
    expect(started.tick).toBe(0);
    await nextView(s, (v) => v.status === 'running' && v.tick > 5);

    // Pause: the clock stops and the shop closes until the teacher resumes.
    const paused = ok(await call(teacher, 'teacher:action', { type: 'pause' }));
    const pv = await nextView(s, (v) => v.paused);
    await sleep(150);
    const still = await next(teacher, 'view:class', (v) => v.paused);
    expect(still.tick).toBe(paused.tick);
    expect(pv.tick).toBe(paused.tick);
    const refused = await call(s, 'player:action', { type: 'buy', item: 'stand' });
    expect(!refused.ok && refused.error.code).toBe('game-paused');
    // Teacher events still apply while paused, at the paused tick.
    const ev = ok(await call(teacher, 'teacher:action', { type: 'event', event: EVENTS[0] }));
    expect(ev.tick).toBe(paused.tick);
    ok(await call(teacher, 'teacher:action', { type: 'resume' }));
    await nextView(s, (v) => !v.paused && v.tick > paused.tick);
    ok(await call(s, 'player:action', { type: 'buy', item: 'stand' }));

    // Speed: the game runs faster in real time.
    ok(await call(teacher, 'teacher:action', { type: 'speed', speed: 8 }));
    const a = await nextView(s, (v) => v.speed === 8);
    await sleep(300);
    const b = await nextView(s);
    expect(b.tick - a.tick).toBeGreaterThan(12); // 8x: ~24 ticks in 300 ms (10 ms per tick at speed 1)

    // Every event kind, with its parameters, lands in the game and on the students' screens.
    expect(new Set(EVENTS.map((e) => e.kind))).toEqual(new Set(TEACHER_EVENT_KINDS));
    for (const event of EVENTS) ok(await call(teacher, 'teacher:action', { type: 'event', event }));
    const withBanner = await nextView(s, (v) =>
      v.banners.some((x) => x.text === 'Friday is coming: scale before the rush!'),
    );
    expect(withBanner.banners.length).toBeGreaterThan(1);
    const bad = await call(teacher, 'teacher:action', {
      type: 'event',
      event: { kind: 'surge', multiplier: 1000 },
    });
    expect(!bad.ok && bad.error.code).toBe('invalid-payload');

    const ended = next(s, 'game:ended');
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    const results = await ended;
    expect(results.me?.id).toBe(ann!.playerId);
    const after = await call(teacher, 'teacher:action', { type: 'start' });
    expect(!after.ok && after.error.code).toBe('game-ended');
    // Nothing runs after the end: speed and lock are refused, not acknowledged for nothing.
    for (const setting of [
      { type: 'speed', speed: 2 },
      { type: 'lock', locked: true },
    ]) {
      const refused = await call(teacher, 'teacher:action', setting);
      expect(!refused.ok && refused.error.code).toBe('game-ended');
    }
    closeAll([teacher, s]);
  });

  it('refuses teacher actions from students, and a wrong teacher token', async () => {
    const { teacher, roomCode, teacherToken } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    for (const action of [
      { type: 'start' },
      { type: 'pause' },
      { type: 'end' },
      { type: 'kick', playerId: ann!.playerId },
      { type: 'lock', locked: true },
      { type: 'speed', speed: 8 },
      { type: 'event', event: { kind: 'announce', text: 'hi' } },
    ]) {
      const r = await call(ann!.socket, 'teacher:action', action);
      expect(!r.ok && r.error.code).toBe('not-teacher');
    }
    const wrong = await call(ann!.socket, 'teacher:resume', { roomCode, teacherToken: ann!.playerToken });
    expect(!wrong.ok && wrong.error.code).toBe('bad-token');
    // The game is untouched.
    const v = await next(teacher, 'view:class');
    expect(v.status).toBe('lobby');
    expect(v.locked).toBe(false);

    // The real teacher, on a new connection (a reload), takes control with the token.
    const reloaded = await client(srv.url);
    ok(await call(reloaded, 'teacher:resume', { roomCode, teacherToken }));
    ok(await call(reloaded, 'teacher:action', { type: 'start' }));
    closeAll([teacher, reloaded, ann!.socket]);
  });
});
