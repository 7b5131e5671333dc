import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/errors.ts';
import { sendWithRetries } from '../../client/src/net/safe-command.ts';
import { NO_ANSWER } from '../../client/src/net/socket.ts';

/** A server that answers from a script, and a clock that moves only when the sender pauses. */
function scripted(answers: Ack<{ tick: number }>[]) {
  const sent: object[] = [];
  let t = 0;
  return {
    sent,
    how: {
      send: (p: object) => {
        sent.push(p);
        return Promise.resolve(answers.shift() ?? { ok: true as const, tick: 99 });
      },
      pause: (ms: number) => {
        t += ms;
        return Promise.resolve();
      },
      now: () => t,
    },
  };
}

describe('a command sent with retries', () => {
  it('retries a lost ack, a failed save and an unreachable room owner with the same id, and stops at the first real answer', async () => {
    const { sent, how } = scripted([
      NO_ANSWER as Ack<{ tick: number }>,
      { ok: false, error: { code: 'cant-save', message: 'disk full' } },
      { ok: false, error: { code: 'owner-unavailable', message: 'the room is moving to another process' } },
      { ok: true, tick: 42 },
    ]);
    const res = await sendWithRetries({ type: 'buy', item: 'stand' }, how);
    expect(res).toEqual({ ok: true, tick: 42 });
    expect(sent).toHaveLength(4);
    const ids = sent.map((p) => (p as { commandId: string }).commandId);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{24}$/);
  });

  it('does not retry a refusal of the game, and gives up after a minute of failures', async () => {
    const refused = scripted([{ ok: false, error: { code: 'not-enough-cash', message: 'no' } }]);
    expect(await sendWithRetries({ type: 'buy', item: 'stand' }, refused.how)).toMatchObject({ ok: false });
    expect(refused.sent).toHaveLength(1);

    const down = scripted(Array.from({ length: 100 }, () => NO_ANSWER as Ack<{ tick: number }>));
    expect(await sendWithRetries({ type: 'buy', item: 'stand' }, down.how)).toBe(NO_ANSWER);
    expect(down.sent.length).toBeGreaterThan(5);
    expect(down.sent.length).toBeLessThan(20);
  });
});
