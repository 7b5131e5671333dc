import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/errors.ts';
import { keepResumed } from '../../client/src/net/keep-resumed.ts';
import type { GameSocket } from '../../client/src/net/socket.ts';
import { handTimers } from '../hand-timers.ts';

/**
 * A page's socket, run by the test: `connect()` fires the page's connect listeners, every request the
 * page sends is kept with its answer callback (`asked`), and the test answers them when it likes.
 */
function fakeSocket() {
  const listeners = new Set<() => void>();
  const asked: { event: string; payload: unknown; answer: (res: Ack) => void }[] = [];
  const s = {
    connected: false,
    on: (ev: string, fn: () => void) => void (ev === 'connect' && listeners.add(fn)),
    off: (ev: string, fn: () => void) => void (ev === 'connect' && listeners.delete(fn)),
    emit: (event: string, payload: unknown, answer: (res: Ack) => void) =>
      asked.push({ event, payload, answer }),
  };
  return {
    socket: s as unknown as GameSocket,
    asked,
    connect: () => {
      s.connected = true;
      for (const fn of listeners) fn();
    },
    disconnect: () => void (s.connected = false),
  };
}

const failover: Ack = {
  ok: false,
  error: { code: 'owner-unavailable', message: 'This game is moving to another server: back in a moment.' },
};

function setUp() {
  const sock = fakeSocket();
  const clock = handTimers();
  const seen: string[] = [];
  const stop = keepResumed({
    event: 'teacher:resume',
    payload: () => ({ roomCode: 'ABCD', teacherToken: 't' }),
    s: sock.socket,
    patienceMs: 8000,
    timers: clock.timers,
    ok: () => seen.push('ok'),
    waiting: (code) => seen.push(`waiting ${code}`),
    gone: (code) => seen.push(`gone ${code}`),
  });
  return { ...sock, ...clock, seen, stop };
}

describe('keepResumed: a page back in its room on every connection', () => {
  it('asks again after a failover refusal, soon, until the room answers yes', () => {
    const p = setUp();
    p.connect();
    expect(p.asked.map((a) => a.event)).toEqual(['teacher:resume']);
    p.asked[0]!.answer(failover);
    expect(p.seen).toEqual(['waiting owner-unavailable']);
    // A failover's first retry comes within 0.2 s (not the patience of 8 s, not a whole second).
    expect(p.waits()).toHaveLength(1);
    expect(p.waits()[0]).toBeLessThanOrEqual(200);
    p.fire();
    expect(p.asked).toHaveLength(2);
    p.asked[1]!.answer(failover);
    expect(p.waits()[0]).toBeLessThanOrEqual(400);
    p.fire();
    p.asked[2]!.answer({ ok: true });
    expect(p.seen).toEqual(['waiting owner-unavailable', 'waiting owner-unavailable', 'ok']);
    // Settled: nothing more is asked on this connection.
    expect(p.waits()).toEqual([]);
  });

  it('stops for good when the room is gone, also on later connections', () => {
    const p = setUp();
    p.connect();
    p.asked[0]!.answer({ ok: false, error: { code: 'unknown-room', message: 'No game with that code.' } });
    expect(p.seen).toEqual(['gone unknown-room']);
    expect(p.waits()).toEqual([]);
    p.disconnect();
    p.connect();
    expect(p.asked).toHaveLength(1);
  });

  it('stops when what it asks with is malformed (a code typed into the address): that never passes', () => {
    const p = setUp();
    p.connect();
    p.asked[0]!.answer({ ok: false, error: { code: 'invalid-payload', message: 'roomCode: 4-8 letters' } });
    expect(p.seen).toEqual(['gone invalid-payload']);
    expect(p.waits()).toEqual([]);
  });

  it('asks again on every new connection, and a slow answer is asked again after the patience', () => {
    const p = setUp();
    p.connect();
    p.asked[0]!.answer({ ok: true });
    p.disconnect();
    p.connect();
    expect(p.asked).toHaveLength(2);
    // No answer: sent again after the patience; the late first answer still settles it.
    expect(p.waits()).toEqual([8000]);
    p.fire();
    expect(p.asked).toHaveLength(3);
    p.asked[1]!.answer({ ok: true });
    p.asked[2]!.answer({ ok: true });
    expect(p.seen).toEqual(['ok', 'ok']);
    expect(p.waits()).toEqual([]);
  });

  it('asks nothing once stopped (the page left the screen)', () => {
    const p = setUp();
    p.stop();
    p.connect();
    expect(p.asked).toEqual([]);
  });
});
