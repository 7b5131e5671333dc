import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventListener, onEvent, type AnyEventSpec } from '../../server/sockets/edge.ts';
import type { SocketContext } from '../../server/sockets/context.ts';
import type { IoSocket } from '../../server/sockets/types.ts';

type Budget = 'ok' | 'refused' | 'drop';

/** The edge with a fake budget and a fake connection: what each answer of the budget does to an event. */
function edge(budget: Budget): {
  send: (event: string, payload: unknown) => Promise<unknown>;
  ran: unknown[];
  closed: () => boolean;
} {
  const ran: unknown[] = [];
  let disconnected = false;
  const ctx = {
    limits: { event: async () => budget },
    logger: { warn: () => {}, error: () => {} },
  } as unknown as SocketContext;
  const spec = onEvent('player:action', z.object({ n: z.number() }), (_ctx, _socket, data) => {
    ran.push(data);
    return { ok: true, tick: 0 };
  }) as unknown as AnyEventSpec;
  const listener = eventListener(ctx, [spec]);
  const socket = {
    id: 's1',
    data: { addr: '10.0.0.1' },
    disconnect: () => (disconnected = true),
  } as unknown as IoSocket;
  return {
    send: (event, payload) => new Promise((resolve) => listener.call(socket, event, payload, resolve)),
    ran,
    closed: () => disconnected,
  };
}

describe('the event budget at the edge', () => {
  it('an event within the budget runs and is answered', async () => {
    const e = edge('ok');
    expect(await e.send('player:action', { n: 1 })).toEqual({ ok: true, tick: 0 });
    expect(e.ran).toEqual([{ n: 1 }]);
    expect(await e.send('no:such-event', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
  });

  it('an event over the budget is answered rate-limited and does not run', async () => {
    const e = edge('refused');
    expect(await e.send('player:action', { n: 1 })).toMatchObject({
      ok: false,
      error: { code: 'rate-limited' },
    });
    expect(e.ran).toEqual([]);
    expect(e.closed()).toBe(false);
  });

  // A cluster re-resume waits on the acknowledgement of an event it runs through this listener
  // (forwarding.ts localHandler): one that never came held the process's owner checks for ever.
  it('the event that gets a flooding connection closed is still answered, known or not', async () => {
    const e = edge('drop');
    expect(await e.send('player:action', { n: 1 })).toMatchObject({
      ok: false,
      error: { code: 'rate-limited' },
    });
    expect(e.ran).toEqual([]);
    expect(e.closed()).toBe(true);
    const f = edge('drop');
    expect(await f.send('no:such-event', {})).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    expect(f.closed()).toBe(true);
  });
});
