import { randomBytes } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, ok, testServer, type ClientSocket } from './helpers.ts';

/** A browser: its own device id (kept across reloads), every connection from 127.0.0.1 like a school NAT. */
async function device(url: string, deviceId = randomBytes(12).toString('base64url')): Promise<ClientSocket> {
  const s: ClientSocket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { deviceId },
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : r.error!.code);

describe('a class behind one school address', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    // The defaults: 120 attempts and 20 misses a minute per device, 3000 and 200 per address. The event
    // budget (per connection per second) is raised: these tests pipeline on purpose.
    srv = await testServer({ tickIntervalMs: 20, eventsPerSecond: 1000 });
  });
  afterAll(() => srv.close());

  it('60 students join and each reload five times while one device guessing codes is blocked alone', async () => {
    const { teacher, roomCode, teacherToken } = await createRoom(srv.url);
    const ids = Array.from({ length: 60 }, () => randomBytes(12).toString('base64url'));
    const players = await Promise.all(
      ids.map(async (id, i) => {
        const s = await device(srv.url, id);
        const r = ok(await call(s, 'player:join', { roomCode, nickname: `Kid ${i}` }));
        s.close();
        return { id, token: r.playerToken, playerId: r.playerId };
      }),
    );
    // One device types wrong codes, pipelined: exactly its 20 misses are looked up, the rest refused.
    const guesser = await device(srv.url);
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(guesser, 'player:join', { roomCode: `ZZ${String(i).padStart(3, '0')}`, nickname: 'Guess' }),
      ),
    );
    expect(guesses.filter((r) => code(r) === 'unknown-room')).toHaveLength(20);
    expect(guesses.filter((r) => code(r) === 'too-many-attempts')).toHaveLength(20);
    const right = await call(guesser, 'player:join', { roomCode, nickname: 'Guess' });
    expect(code(right)).toBe('too-many-attempts');
    // Everyone else reloads five times (a new connection, the same device, the same token).
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        players.map(async (p) => {
          const s = await device(srv.url, p.id);
          const r = await call(s, 'player:resume', { roomCode, playerToken: p.token });
          s.close();
          return r.ok ? r.playerId === p.playerId : code(r);
        }),
      );
      expect(
        answers.filter((a) => a !== true),
        `round ${round}`,
      ).toEqual([]);
    }
    const t = await device(srv.url);
    ok(await call(t, 'teacher:resume', { roomCode, teacherToken }));
    closeAll([teacher, guesser, t]);
  });

  it('a valid resume never counts toward the wrong-code budget', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const id = randomBytes(12).toString('base64url');
    const s = await device(srv.url, id);
    const me = ok(await call(s, 'player:join', { roomCode, nickname: 'Typo' }));
    for (let i = 0; i < 19; i++)
      expect(code(await call(s, 'projector:watch', { roomCode: `QQ${String(i).padStart(3, '0')}` }))).toBe(
        'unknown-room',
      );
    for (let i = 0; i < 30; i++)
      ok(await call(s, 'player:resume', { roomCode, playerToken: me.playerToken }));
    // The 20th miss is still a miss; only the 21st is refused.
    expect(code(await call(s, 'projector:watch', { roomCode: 'QQ999' }))).toBe('unknown-room');
    expect(code(await call(s, 'projector:watch', { roomCode }))).toBe('too-many-attempts');
    closeAll([teacher, s]);
  });

  it('a script making up a new device id for each guess meets the address budget', async () => {
    const small = await testServer({ addressFailedJoinsPerMinute: 30, eventsPerSecond: 1000 });
    const answers: string[] = [];
    for (let i = 0; i < 40; i++) {
      const s = await device(small.url);
      answers.push(code(await call(s, 'projector:watch', { roomCode: `XX${String(i).padStart(3, '0')}` })));
      s.close();
    }
    expect(answers.slice(0, 30)).toEqual(Array(30).fill('unknown-room'));
    expect(answers.slice(30)).toEqual(Array(10).fill('too-many-attempts'));
    await small.close();
  });
});

describe('budgets that follow the player, and junk that counts', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 20, commandsPerSecond: 10, eventsPerSecond: 40 });
  });
  afterAll(() => srv.close());

  it('one student on ten connections shares one command budget', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const first = await device(srv.url);
    const me = ok(await call(first, 'player:join', { roomCode, nickname: 'Many' }));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const sockets = [first];
    for (let i = 0; i < 9; i++) {
      const s = await device(srv.url);
      ok(await call(s, 'player:resume', { roomCode, playerToken: me.playerToken }));
      sockets.push(s);
    }
    const answers = await Promise.all(
      sockets.flatMap((s) =>
        Array.from({ length: 10 }, () => call(s, 'player:action', { type: 'set-policy', policy: 'random' })),
      ),
    );
    const taken = answers.filter((r) => code(r) !== 'rate-limited').length;
    // Ten connections of ten each would be 100 with a per-connection budget; one budget is 10 (20 if the
    // second rolls over meanwhile).
    expect(taken).toBeGreaterThanOrEqual(10);
    expect(taken).toBeLessThanOrEqual(20);
    closeAll(sockets, [teacher]);
  });

  it('made-up event names are answered, counted, and a flood of them is cut', async () => {
    const s = await device(srv.url);
    const emit = (
      s.emit as (e: string, p: unknown, ack: (r: { ok: boolean; error?: { code: string } }) => void) => void
    ).bind(s);
    const first = await new Promise<string>((resolve) => emit('room:destroy', {}, (r) => resolve(code(r))));
    expect(first).toBe('invalid-payload');
    const closed = new Promise<string>((resolve) => s.once('disconnect', (r) => resolve(r)));
    for (let i = 0; i < 400; i++) emit(`made-up:${i}`, {}, () => {});
    expect(await closed).toBe('io server disconnect');
  });

  it('a flood of invalid payloads is rate-limited, then the connection is closed; others are unaffected', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const calm = await device(srv.url);
    ok(await call(calm, 'player:join', { roomCode, nickname: 'Calm' }));
    const flooder = await device(srv.url);
    const closed = new Promise<string>((resolve) => flooder.once('disconnect', (r) => resolve(r)));
    const answers: string[] = [];
    for (let i = 0; i < 400; i++)
      (
        flooder.emit as (
          e: string,
          p: unknown,
          ack: (r: { ok: boolean; error?: { code: string } }) => void,
        ) => void
      )('player:action', { junk: i }, (r) => answers.push(code(r)));
    expect(await closed).toBe('io server disconnect');
    expect(answers.filter((c) => c === 'invalid-payload').length).toBeLessThanOrEqual(80);
    expect(answers.filter((c) => c === 'rate-limited').length).toBeGreaterThan(0);
    const health = await fetch(`${srv.url}/health`);
    expect(health.status).toBe(200);
    expect(code(await call(calm, 'player:action', { type: 'buy', item: 'stand' }))).not.toBe('rate-limited');
    closeAll([teacher, calm]);
  });
});
