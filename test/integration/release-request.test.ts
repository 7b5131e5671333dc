import type { IncomingMessage } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, ok, sleep, testServer, type ClientSocket } from './helpers.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * A connection lets go of its HTTP request once it is open (server/sockets/release-request.ts; about
 * 1 KB per connected student, docs/performance.md): the request is collected, over a websocket and over
 * long-polling upgraded to one, while the client's address (behind our balancer, X-Forwarded-For) and
 * device id are kept.
 */
describe('the HTTP request of an open connection', () => {
  let srv: RunningServer;
  let behindProxy: RunningServer;
  /** Every request Engine.IO saw, weakly (a middleware of the test, after the server's own). */
  const seen: { url: string; ref: WeakRef<IncomingMessage> }[] = [];
  beforeAll(async () => {
    srv = await testServer();
    behindProxy = await testServer({ trustProxy: true });
    for (const s of [srv, behindProxy])
      s.io.engine.use((req: IncomingMessage, _res: unknown, next: () => void) => {
        seen.push({ url: req.url ?? '', ref: new WeakRef(req) });
        next();
      });
  });
  afterAll(async () => {
    await srv.close();
    await behindProxy.close();
  });

  async function open(
    url: string,
    transports: ('websocket' | 'polling')[],
    extraHeaders?: Record<string, string>,
  ): Promise<ClientSocket> {
    const s: ClientSocket = connect(url, {
      transports,
      forceNew: true,
      reconnection: false,
      extraHeaders,
      auth: { deviceId: 'device-release-test-1' },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  }

  it('is collected once the connection is open, and the student plays on', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    seen.length = 0;
    const ws = await open(srv.url, ['websocket']);
    const upgrading = await open(srv.url, ['polling', 'websocket']);
    await new Promise<void>((resolve) => {
      if (upgrading.io.engine.transport.name === 'websocket') resolve();
      else upgrading.io.engine.once('upgrade', () => resolve());
    });
    for (const [s, name] of [
      [ws, 'Ws'],
      [upgrading, 'Upgraded'],
    ] as const)
      ok(await call(s, 'player:join', { roomCode, nickname: name }));
    expect(seen.some((r) => r.url.includes('transport=websocket'))).toBe(true);
    for (let i = 0; i < 3; i++) {
      await sleep(20);
      gc();
    }
    expect(seen.filter((r) => r.ref.deref() !== undefined).map((r) => r.url)).toEqual([]);
    // The connections work on without them (a second command, acknowledged).
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    closeAll([teacher, ws, upgrading]);
  });

  it('keeps the address (behind the balancer: the last X-Forwarded-For entry) and the device id', async () => {
    const direct = await open(srv.url, ['websocket'], { 'x-forwarded-for': '203.0.113.7' });
    const proxied = await open(behindProxy.url, ['websocket'], {
      'x-forwarded-for': '198.51.100.1, 203.0.113.9',
    });
    const upgraded = await open(behindProxy.url, ['polling', 'websocket'], {
      'x-forwarded-for': '203.0.113.10',
    });
    const data = (s: RunningServer, c: ClientSocket) => s.io.of('/').sockets.get(c.id!)!.data;
    // Not behind a balancer, the header is the client's word and is not believed.
    expect(data(srv, direct).addr).toMatch(/127\.0\.0\.1$/);
    expect(data(behindProxy, proxied).addr).toBe('203.0.113.9');
    expect(data(behindProxy, upgraded).addr).toBe('203.0.113.10');
    // An IPv6 client is its /64 (server/sockets/address-block.ts); an IPv4 one written the IPv6 way is that IPv4.
    const v6 = await open(behindProxy.url, ['websocket'], { 'x-forwarded-for': '2001:DB8:0:42:1:2:3:4' });
    const mapped = await open(behindProxy.url, ['websocket'], { 'x-forwarded-for': '::ffff:203.0.113.11' });
    expect(data(behindProxy, v6).addr).toBe('2001:db8:0:42::/64');
    expect(data(behindProxy, mapped).addr).toBe('203.0.113.11');
    closeAll([v6, mapped]);
    for (const [s, c] of [
      [srv, direct],
      [behindProxy, proxied],
    ] as const)
      expect(data(s, c).device).toBe('device:device-release-test-1');
    closeAll([direct, proxied, upgraded]);
  });
});
