import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import type { ClientToServerEvents } from '../../shared/protocol/socket-events.ts';
import {
  call,
  client,
  closeAll,
  createRoom,
  joinStudents,
  ok,
  testServer,
  type ClientSocket,
} from './helpers.ts';

const EVENTS = [
  'room:create',
  'teacher:resume',
  'player:join',
  'player:resume',
  'projector:watch',
  'projector:remove',
  'player:action',
  'teacher:action',
] as const satisfies readonly (keyof ClientToServerEvents)[];

/**
 * Payloads near each schema's shape as well as anything at all: right keys with wrong values, wrong keys,
 * huge and odd strings, deep nesting, prototype keys.
 */
function payloads(roomCode: string): fc.Arbitrary<unknown> {
  const oddString = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      roomCode,
      'stand',
      'buy',
      'start',
      'lemonade-week',
      '__proto__',
      'constructor',
      '\u202e',
      '',
    ),
  );
  const value = fc.oneof(
    oddString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.anything(),
  );
  const near = fc.dictionary(
    fc.constantFrom(
      'type',
      'item',
      'standId',
      'policy',
      'mode',
      'speed',
      'event',
      'playerId',
      'locked',
      'roomCode',
      'nickname',
      'playerToken',
      'rejoinCode',
      'teacherToken',
      'scenarioId',
      'seed',
      'settings',
      '__proto__',
      'extra',
    ),
    value,
    { maxKeys: 5 },
  );
  return fc.oneof(near, fc.anything({ maxDepth: 4 }), value);
}

/** Every client-to-server event, fed generated payloads over a real connection: each gets a well-formed ack. */
describe('fuzzing every event schema against the live server', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    // Limits out of the way: this is about answers to payloads (limits have their own tests).
    srv = await testServer({
      tickIntervalMs: 20,
      eventsPerSecond: 1e6,
      commandsPerSecond: 1e6,
      joinAttemptsPerMinute: 1e9,
      failedJoinsPerMinute: 1e9,
      addressAttemptsPerMinute: 1e9,
      addressFailedJoinsPerMinute: 1e9,
      roomsPerMinute: 1e6,
    });
  });
  afterAll(() => srv.close());

  it('answers every payload with { ok: true, ... } or a known error code and a message, and stays up', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [student] = await joinStudents(srv.url, roomCode, 1);
    const stranger = await client(srv.url);
    const sockets: Record<string, ClientSocket> = { teacher, student: student!.socket, stranger };
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...EVENTS) },
          { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
        ),
        fc.constantFrom('teacher', 'student', 'stranger'),
        payloads(roomCode),
        async (event, who, payload) => {
          const s = sockets[who]!;
          const r = (await call(s, event as (typeof EVENTS)[number], payload)) as {
            ok: unknown;
            error?: { code: unknown; message: unknown };
          };
          answered++;
          expect(typeof r.ok).toBe('boolean');
          if (r.ok === false) {
            expect(typeof r.error!.code).toBe('string');
            expect(r.error!.code).not.toBe('server-error');
            expect(typeof r.error!.message).toBe('string');
            expect((r.error!.message as string).length).toBeGreaterThan(3);
          }
        },
      ),
      { numRuns: 1500 },
    );
    expect(answered).toBeGreaterThanOrEqual(1500);
    expect(stranger.connected && teacher.connected && student!.socket.connected).toBe(true);
    const health = await fetch(`${srv.url}/health`);
    expect(health.status).toBe(200);
    // The room still works for a well-formed request.
    const again = await client(srv.url);
    ok(await call(again, 'projector:watch', { roomCode }));
    closeAll([teacher, student!.socket, stranger, again]);
  });
});
