import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { RemoteSockets } from '../../server/cluster/remote-socket.ts';

/**
 * The owner's stand-in for a socket on another process (RemoteSocket) calls its listeners as a real
 * Socket.IO socket does, checked against the Socket.IO this project runs: the same listeners wired on
 * both, the same event sent to both, the same calls in the same order and the same acknowledgement.
 */
describe('a stand-in socket and a Socket.IO socket call the same listeners in the same order', () => {
  const server = http.createServer();
  const io = new Server(server, { transports: ['websocket'] });
  const clients: Socket[] = [];
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await io.close();
  });

  type Wirable = {
    on(event: string, fn: (...args: unknown[]) => void): unknown;
    onAny(fn: (event: string, ...args: unknown[]) => void): unknown;
  };

  /** Two catch-all and two event listeners, added interleaved; the second catch-all answers. */
  function wire(s: Wirable, log: string[]): void {
    s.onAny((event, payload) => void log.push(`any1 ${event} ${JSON.stringify(payload)}`));
    s.on('ping', (payload, ack) => {
      log.push(`on1 ${JSON.stringify(payload)}`);
      (ack as (r: unknown) => void)({ by: 'on1' });
    });
    s.onAny((event, _payload, ack) => {
      log.push(`any2 ${event}`);
      (ack as (r: unknown) => void)({ by: 'any2' });
    });
    s.on('ping', () => void log.push('on2'));
    s.on('other', () => void log.push('other'));
  }

  it('catch-all listeners first, then the event listeners; the first answer is the acknowledgement', async () => {
    const real: string[] = [];
    io.on('connection', (socket) => wire(socket as unknown as Wirable, real));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    clients.push(c);
    const realAck = await c.timeout(5000).emitWithAck('ping', { n: 1 });
    // The event listeners run a tick after the acknowledgement was sent: wait for them.
    await vi.waitFor(() => expect(real).toContain('on2'));

    const stood: string[] = [];
    const noIo = {
      to: () => ({ emit: () => true }),
      in: () => ({ socketsJoin() {}, socketsLeave() {}, disconnectSockets() {} }),
    } as never;
    const remote = new RemoteSockets(
      noIo,
      (s) => wire(s as unknown as Wirable, stood),
      () => undefined,
    );
    const reply = await remote.receive({
      kind: 'event',
      socketId: 's1',
      event: 'ping',
      payload: { n: 1 },
      data: { addr: 'a', device: 'd' },
    });

    expect(real).toEqual(['any1 ping {"n":1}', 'any2 ping', 'on1 {"n":1}', 'on2']);
    expect(stood).toEqual(real);
    expect(realAck).toEqual({ by: 'any2' });
    expect(reply?.ack).toEqual(realAck);
  });
});
