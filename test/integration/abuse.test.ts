import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, sleep, testServer } from './helpers.ts';

/** Bad input and abuse: each is refused with a code and a message, and none disturbs the room. */
describe('malformed, oversized and flooding clients', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    // A generous event budget: this suite checks answers to bad payloads, not the budget (limits.test.ts).
    srv = await testServer({ tickIntervalMs: 10, commandsPerSecond: 10, eventsPerSecond: 1000 });
  });
  afterAll(() => srv.close());

  it('answers malformed payloads of every event with invalid-payload and changes nothing', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    const junk: unknown[] = [null, undefined, 42, 'text', [], {}, { type: 'buy', item: 'stand', extra: 1 }];
    const events = [
      'room:create',
      'teacher:resume',
      'player:join',
      'player:resume',
      'projector:watch',
      'projector:remove',
      'player:action',
      'teacher:action',
    ] as const;
    for (const e of events)
      for (const payload of junk) {
        const r = await call(e === 'teacher:action' ? teacher : ann!.socket, e, payload);
        expect(r.ok, `${e} ${JSON.stringify(payload)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-payload');
          expect(r.error.message.length).toBeGreaterThan(5);
        }
      }
    // Nicknames: trimmed, length-limited, no control characters, unique in the room (case-insensitively).
    const s = await client(srv.url);
    for (const nickname of ['', '   ', 'x'.repeat(25), 'bad\u0007name', 'tab\tname', 42]) {
      const r = await call(s, 'player:join', { roomCode, nickname });
      expect(!r.ok && r.error.code).toBe('invalid-payload');
    }
    const dup = await call(s, 'player:join', { roomCode, nickname: '  STUDENT 1 ' });
    expect(!dup.ok && dup.error.code).toBe('nickname-taken');
    expect(!dup.ok && dup.error.message).toMatch(/already called/);
    // A class name is shown to everyone (replays, history across classes): no direction controls either.
    const rooms = srv.registry.size;
    const spoof = await call(s, 'room:create', {
      scenarioId: 'lemonade-week',
      settings: { className: 'Year 9 \u202eB 4202' },
    });
    expect(!spoof.ok && spoof.error.code).toBe('invalid-payload');
    expect(!spoof.ok && spoof.error.message).toMatch(/text-direction/);
    expect(srv.registry.size).toBe(rooms);
    const unknown = await call(teacher, 'room:create', { scenarioId: 'no-such-scenario' });
    expect(!unknown.ok && unknown.error.code).toBe('unknown-scenario');
    // Events without an acknowledgement callback are harmless too.
    (ann!.socket.emit as (e: string, p: unknown) => void)('player:action', { type: 'buy' });
    (ann!.socket.emit as (e: string) => void)('teacher:action');

    const v = await next(teacher, 'view:class');
    expect(v.status).toBe('lobby');
    expect(v.players).toHaveLength(1);
    closeAll([teacher, s, ann!.socket]);
  });

  it('drops a connection that sends an oversized message; the room carries on', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const gone = new Promise<string>((resolve) =>
      ann!.socket.once('disconnect', (reason) => resolve(reason)),
    );
    ann!.socket.emit('player:action', { type: 'buy', item: 'x'.repeat(64 * 1024) } as never, () => {});
    expect(await gone).toBeTruthy();
    ok(await call(bob!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    // Ann's business keeps running; she comes back with her token.
    const again = await client(srv.url);
    ok(await call(again, 'player:resume', { roomCode, playerToken: ann!.playerToken }));
    closeAll([teacher, again, bob!.socket]);
  });

  it('rate-limits a flood of commands per connection without affecting others', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const flood = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(ann!.socket, 'player:action', { type: 'set-policy', policy: 'random' }),
      ),
    );
    const limited = flood.filter((r) => !r.ok && r.error.code === 'rate-limited').length;
    expect(limited).toBeGreaterThanOrEqual(85);
    ok(await call(bob!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    // Students never get the class view (other players' data).
    let classViews = 0;
    bob!.socket.on('view:class', () => classViews++);
    await sleep(400);
    expect(classViews).toBe(0);
    closeAll([teacher, ann!.socket, bob!.socket]);
  });

  it('caps the room size and refuses late joins when the teacher said so', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { maxPlayers: 2, lateJoin: false } });
    const two = await joinStudents(srv.url, roomCode, 2);
    const third = await client(srv.url);
    const full = await call(third, 'player:join', { roomCode, nickname: 'Third' });
    expect(!full.ok && full.error.code).toBe('room-full');
    ok(await call(teacher, 'teacher:action', { type: 'kick', playerId: two[0]!.playerId }));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const late = await call(third, 'player:join', { roomCode, nickname: 'Third' });
    expect(!late.ok && late.error.code).toBe('late-join-closed');
    closeAll(two, [teacher, third]);
  });
});

describe('guessing room codes', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ failedJoinsPerMinute: 5 });
  });
  afterAll(() => srv.close());

  it('blocks an address after a few wrong codes or tokens, even for a right code', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const s = await client(srv.url);
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await call(s, 'player:join', { roomCode: `ZZZZ${i}`, nickname: 'Guess' });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('unknown-room'));
    expect(codes.slice(5)).toEqual(Array(3).fill('too-many-attempts'));
    const right = await call(s, 'player:join', { roomCode, nickname: 'Guess' });
    expect(!right.ok && right.error.code).toBe('too-many-attempts');
    closeAll([teacher, s]);
  });
});
