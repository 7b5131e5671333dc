import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';

/** The teacher's results carry each student's report (purchases, debrief); a student gets only their own. */
describe("each student's report in the teacher's results", () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 5 });
  });
  afterAll(() => srv.close());

  it('lists what each student bought when, and their debrief', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { speed: 1, bots: ['scale-up'] } });
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const stand = ok(await call(ann!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    await next(teacher, 'view:class', (v) => v.seconds >= 3);
    ok(
      await call(teacher, 'teacher:action', {
        type: 'event',
        event: { kind: 'surge', multiplier: 20, durationSeconds: 5 },
      }),
    );
    await next(teacher, 'view:class', (v) => v.seconds >= 10);
    const mine = next(ann!.socket, 'game:ended');
    const theirs = next(teacher, 'game:ended');
    ok(await call(teacher, 'teacher:action', { type: 'end' }));
    const forTeacher = await theirs;
    const forAnn = await mine;

    expect(forAnn.reports).toBeUndefined();
    const reports = forTeacher.reports!;
    expect(reports.map((r) => r.id)).toEqual(forTeacher.leaderboard.map((r) => r.id));
    const annReport = reports.find((r) => r.id === ann!.playerId)!;
    expect(annReport.purchases).toEqual([{ second: stand.tick / 10, text: 'bought a stand' }]);
    expect(reports.find((r) => r.id === bob!.playerId)!.purchases).toEqual([]);
    // The debrief in the report is the one the student got.
    expect(annReport.debrief).toEqual(forAnn.debrief);
    expect(annReport.debrief!.some((e) => e.kind === 'surge')).toBe(true);
    closeAll([teacher, ann!.socket, bob!.socket]);
  });
});
