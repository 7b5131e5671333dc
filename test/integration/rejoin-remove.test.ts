import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { isRejoinCode } from '../../shared/protocol/payloads.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';
import { nextView } from './stream-client.ts';

/**
 * The rejoin code a student's screen shows (their token, short enough to type), the teacher removing a
 * name from the projector, and a schedule the teacher keeps a surprise.
 */
describe('rejoin codes, removing from the projector, a hidden schedule', () => {
  let srv: RunningServer;
  // A small miss budget, so that counting wrong codes shows in a few attempts (its own server: the
  // test clients all share one address, whose misses the budget counts).
  let strict: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
    strict = await testServer({ tickIntervalMs: 10, failedJoinsPerMinute: 4 });
  });
  afterAll(async () => {
    await srv.close();
    await strict.close();
  });

  it('a rejoin code takes the same business back on another device, only in its own room', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const other = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1, 'Ann');
    expect(isRejoinCode(ann!.playerToken)).toBe(true);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    ok(await call(ann!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    ann!.socket.close();

    // Typed on a new device, in lower case with a dash and a space: the same business.
    const typed = `${ann!.playerToken.slice(0, 4)}-${ann!.playerToken.slice(4, 8)} ${ann!.playerToken.slice(8)}`;
    const phone = await client(srv.url);
    const back = ok(await call(phone, 'player:resume', { roomCode, rejoinCode: typed.toLowerCase() }));
    expect(back).toMatchObject({ playerId: ann!.playerId, name: ann!.name, playerToken: ann!.playerToken });
    expect(back.hideSchedule).toBe(false);
    const view = await nextView(phone);
    expect(view.me.id).toBe(ann!.playerId);
    expect(view.me.stands.length).toBe(2);
    // And drives it: the phone sells the stand bought on the first device.
    ok(await call(phone, 'player:action', { type: 'sell', item: 'stand', standId: view.me.stands[1]!.id }));

    // Another room does not know it.
    const stranger = await client(srv.url);
    const elsewhere = await call(stranger, 'player:resume', {
      roomCode: other.roomCode,
      rejoinCode: ann!.playerToken,
    });
    expect(!elsewhere.ok && elsewhere.error.code).toBe('bad-token');
    // Not a code at all: refused at the edge, with what a code looks like.
    const junk = await call(stranger, 'player:resume', { roomCode, rejoinCode: 'ABC' });
    expect(!junk.ok && junk.error.code).toBe('invalid-payload');
    expect(!junk.ok && junk.error.message).toContain('12 letters and digits');
    const both = await call(stranger, 'player:resume', {
      roomCode,
      rejoinCode: ann!.playerToken,
      playerToken: ann!.playerToken,
    });
    expect(!both.ok && both.error.code).toBe('invalid-payload');
    closeAll([teacher, other.teacher, phone, stranger]);
  });

  it('wrong rejoin codes are failed join attempts: guessing is cut off, even with the right code after', async () => {
    const { teacher, roomCode } = await createRoom(strict.url);
    const [bob] = await joinStudents(strict.url, roomCode, 1, 'Bob');
    const guesser = await client(strict.url);
    // Four codes one character off Bob's.
    const wrongs = [...'ABCDE']
      .filter((c) => c !== bob!.playerToken[11])
      .slice(0, 4)
      .map((c) => bob!.playerToken.slice(0, 11) + c);
    const codes: string[] = [];
    for (const wrong of wrongs) {
      const r = await call(guesser, 'player:resume', { roomCode, rejoinCode: wrong });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes.every((c) => c === 'bad-token')).toBe(true);
    // The device's misses are spent: the next attempt is refused before any code is looked at.
    const right = await call(guesser, 'player:resume', { roomCode, rejoinCode: bob!.playerToken });
    expect(!right.ok && right.error.code).toBe('too-many-attempts');
    closeAll([teacher, guesser, bob!.socket]);
  });

  it("only the teacher's token removes a name from the projector; the student is told", async () => {
    const { teacher, roomCode, teacherToken } = await createRoom(srv.url);
    const [cat, dan] = await joinStudents(srv.url, roomCode, 2, 'Cat');
    const projector = await client(srv.url);
    ok(await call(projector, 'projector:watch', { roomCode }));

    // A student (no token), the projector without the teacher's token, and a wrong token: refused.
    const bySelf = await call(dan!.socket, 'projector:remove', { roomCode, playerId: cat!.playerId });
    expect(!bySelf.ok && bySelf.error).toMatchObject({ code: 'not-teacher' });
    expect(!bySelf.ok && bySelf.error.message).toContain('Only the teacher');
    const noToken = await call(projector, 'projector:remove', { roomCode, playerId: cat!.playerId });
    expect(!noToken.ok && noToken.error.code).toBe('not-teacher');
    const wrong = await call(projector, 'projector:remove', {
      roomCode,
      teacherToken: dan!.playerToken.padEnd(32, 'x'),
      playerId: cat!.playerId,
    });
    expect(!wrong.ok && wrong.error.code).toBe('not-teacher');
    const v = await next(teacher, 'view:class');
    expect(v.players.find((p) => p.id === cat!.playerId)?.removed).toBe(false);

    // The teacher's token (the projector opened in the console's browser): Cat is out, and told so.
    const told = next(cat!.socket, 'player:kicked');
    ok(await call(projector, 'projector:remove', { roomCode, teacherToken, playerId: cat!.playerId }));
    expect((await told).message).toContain('removed you');
    await next(
      projector,
      'view:class',
      (c) => c.players.find((p) => p.id === cat!.playerId)?.removed === true,
    );
    const again = await call(projector, 'projector:remove', {
      roomCode,
      teacherToken,
      playerId: cat!.playerId,
    });
    expect(!again.ok && again.error.code).toBe('player-removed');
    const gone = await call(cat!.socket, 'player:resume', { roomCode, playerToken: cat!.playerToken });
    expect(!gone.ok && gone.error.code).toBe('kicked');
    closeAll([teacher, projector, cat!.socket, dan!.socket]);
  });

  it('a hidden schedule: students are told not to count down, the projector gets no upcoming events', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { hideSchedule: true } });
    const projector = await client(srv.url);
    ok(await call(projector, 'projector:watch', { roomCode }));
    const s = await client(srv.url);
    const joined = ok(await call(s, 'player:join', { roomCode, nickname: 'Eve' }));
    expect(joined.hideSchedule).toBe(true);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const tv = await next(teacher, 'view:class', (v) => v.status === 'running');
    expect(tv.upcoming.length).toBeGreaterThan(0);
    const pv = await next(projector, 'view:class', (v) => v.status === 'running');
    expect(pv.upcoming).toEqual([]);
    const again = await client(srv.url);
    expect(
      ok(await call(again, 'player:resume', { roomCode, playerToken: joined.playerToken })).hideSchedule,
    ).toBe(true);
    closeAll([teacher, projector, s, again]);
  });
});
