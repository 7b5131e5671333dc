import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';
import { nextView } from './stream-client.ts';

/**
 * Hide/show scores mid-game: a teacher's room setting. Hidden means hidden: students get no rank and the
 * projector no leaderboard; the teacher keeps every row; nobody else can flip it.
 */
describe('hiding scores mid-game', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  it('the teacher hides and shows them; students and the projector follow; nobody else can', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { speed: 1 } });
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    const projector = await client(srv.url);
    ok(await call(projector, 'projector:watch', { roomCode }));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await nextView(ann!.socket, (v) => v.status === 'running' && v.place !== null);
    await next(projector, 'view:class', (v) => v.status === 'running' && v.leaderboard.length === 2);

    // Only the teacher: a student (a joined connection) and the projector are refused.
    const byStudent = await call(ann!.socket, 'teacher:action', { type: 'scores', hidden: true });
    expect(!byStudent.ok && byStudent.error.code).toBe('not-teacher');
    const byProjector = await call(projector, 'teacher:action', { type: 'scores', hidden: true });
    expect(!byProjector.ok && byProjector.error.code).toBe('not-teacher');
    const bad = await call(teacher, 'teacher:action', { type: 'scores', hidden: 'yes' });
    expect(!bad.ok && bad.error.code).toBe('invalid-payload');
    expect((await next(projector, 'view:class')).scoresHidden).toBe(false);

    ok(await call(teacher, 'teacher:action', { type: 'scores', hidden: true }));
    const mine = await nextView(ann!.socket, (v) => v.place === null);
    expect(mine.me.id).toBe(ann!.playerId);
    const proj = await next(projector, 'view:class', (v) => v.scoresHidden);
    expect(proj.leaderboard).toEqual([]);
    const console = await next(teacher, 'view:class', (v) => v.scoresHidden);
    expect(console.leaderboard.map((r) => r.id).sort()).toEqual([ann!.playerId, bob!.playerId].sort());
    // Once hidden, no view shows a rank again (a few views later, none slipped through).
    await nextView(bob!.socket, (v) => v.place === null);
    for (let i = 0; i < 3; i++) expect((await nextView(bob!.socket)).place).toBeNull();

    ok(await call(teacher, 'teacher:action', { type: 'scores', hidden: false }));
    expect((await nextView(bob!.socket, (v) => v.place !== null)).place!.rank).toBeGreaterThan(0);
    const shown = await next(projector, 'view:class', (v) => !v.scoresHidden);
    expect(shown.leaderboard).toHaveLength(2);

    // Hidden at the end: the results show everything, and the setting can no longer change.
    ok(await call(teacher, 'teacher:action', { type: 'scores', hidden: true }));
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    const last = await next(projector, 'view:class', (v) => v.status === 'ended');
    expect(last.scoresHidden).toBe(false);
    expect(last.leaderboard.length).toBeGreaterThan(0);
    const late = await call(teacher, 'teacher:action', { type: 'scores', hidden: false });
    expect(!late.ok && late.error.code).toBe('game-ended');
    closeAll([teacher, projector, ann!.socket, bob!.socket]);
  });

  it('the teacher keeps the schedule a surprise mid-game, and shows it again; nobody else can', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { speed: 1 } });
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    const projector = await client(srv.url);
    ok(await call(projector, 'projector:watch', { roomCode }));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await nextView(ann!.socket, (v) => v.status === 'running' && v.next !== null);
    const byStudent = await call(ann!.socket, 'teacher:action', { type: 'schedule', hidden: true });
    expect(!byStudent.ok && byStudent.error.code).toBe('not-teacher');
    const byProjector = await call(projector, 'teacher:action', { type: 'schedule', hidden: true });
    expect(!byProjector.ok && byProjector.error.code).toBe('not-teacher');
    const bad = await call(teacher, 'teacher:action', { type: 'schedule' });
    expect(!bad.ok && bad.error.code).toBe('invalid-payload');

    ok(await call(teacher, 'teacher:action', { type: 'schedule', hidden: true }));
    await nextView(ann!.socket, (v) => v.next === null);
    for (let i = 0; i < 3; i++) expect((await nextView(ann!.socket)).next).toBeNull();
    const proj = await next(projector, 'view:class', (v) => v.scheduleHidden);
    expect(proj.upcoming).toEqual([]);
    const console = await next(teacher, 'view:class', (v) => v.scheduleHidden);
    expect(console.upcoming.length).toBeGreaterThan(0);
    // A page coming back now, or a late joiner, is told how it stands now, not how it was at hosting.
    const again = await client(srv.url);
    expect(
      ok(await call(again, 'player:resume', { roomCode, playerToken: ann!.playerToken })).hideSchedule,
    ).toBe(true);
    const late = await client(srv.url);
    expect(ok(await call(late, 'player:join', { roomCode, nickname: 'Late Lu' })).hideSchedule).toBe(true);
    closeAll([again, late]);

    ok(await call(teacher, 'teacher:action', { type: 'schedule', hidden: false }));
    await nextView(ann!.socket, (v) => v.next !== null);
    expect((await next(projector, 'view:class', (v) => !v.scheduleHidden)).upcoming.length).toBeGreaterThan(
      0,
    );
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    await next(projector, 'view:class', (v) => v.status === 'ended');
    const afterEnd = await call(teacher, 'teacher:action', { type: 'schedule', hidden: true });
    expect(!afterEnd.ok && afterEnd.error.code).toBe('game-ended');
    closeAll([teacher, projector, ann!.socket]);
  });
});
