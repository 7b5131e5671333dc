import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, createRoom, ok, testServer, type ClientSocket } from './helpers.ts';

/**
 * Attacks on the HTTP side: the Socket.IO long-polling handshake followed by a POST with its sid used to
 * make express answer the same request a second time, which threw out of the process. A vitest file fails
 * on any uncaught exception, so each attack here would also show up as one.
 */
describe('HTTP requests of any shape', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  const healthy = async (): Promise<void> => {
    const r = await fetch(`${srv.url}/health`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
  };

  it('serves a long-polling handshake and its POST without express answering too', async () => {
    const hs = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
    expect(hs.status).toBe(200);
    const text = await hs.text();
    const sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
    expect(sid).toMatch(/^[\w-]+$/);
    const post = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      body: '40',
    });
    expect(post.status).toBe(200);
    expect(await post.text()).toBe('ok');
    // The Socket.IO connect reply comes back on the next poll.
    const poll = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(poll.status).toBe(200);
    expect(await poll.text()).toMatch(/^40\{"sid":/);
    await healthy();
  });

  it('answers malformed Socket.IO requests with an error status, not a crash', async () => {
    const attempts: [string, RequestInit][] = [
      ['/socket.io/?EIO=4&transport=polling&sid=nope', { method: 'POST', body: '40' }],
      ['/socket.io/?EIO=4&transport=polling&sid=nope', { method: 'GET' }],
      ['/socket.io/?EIO=3&transport=polling', { method: 'GET' }],
      ['/socket.io/?EIO=4&transport=carrier-pigeon', { method: 'GET' }],
      ['/socket.io/', { method: 'DELETE' }],
      ['/socket.io/?EIO=4&transport=polling', { method: 'POST', body: 'x'.repeat(100_000) }],
    ];
    for (const [url, init] of attempts) {
      const r = await fetch(`${srv.url}${url}`, init);
      expect(r.status, url).toBeGreaterThanOrEqual(400);
      expect(r.status, url).toBeLessThan(500);
      await r.arrayBuffer();
    }
    await healthy();
  });

  it('lets a socket.io-client with default options (polling, then upgrade) play', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const s: ClientSocket = connect(srv.url, { forceNew: true, reconnection: false, autoConnect: false });
    let firstTransport = '';
    s.io.on('open', () => (firstTransport = s.io.engine.transport.name));
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
      s.connect();
    });
    expect(firstTransport).toBe('polling');
    ok(await call(s, 'player:join', { roomCode, nickname: 'Polly' }));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const bought = ok(await call(s, 'player:action', { type: 'buy', item: 'stand' }));
    expect(bought.tick).toBeGreaterThanOrEqual(0);
    await new Promise<void>((resolve) => {
      if (s.io.engine.transport.name === 'websocket') resolve();
      else s.io.engine.once('upgrade', () => resolve());
    });
    // Answered over the websocket now (the second stand is more than the cash left).
    const second = await call(s, 'player:action', { type: 'buy', item: 'stand' });
    expect(!second.ok && second.error.code).toBe('not-enough-cash');
    s.close();
    teacher.close();
    await healthy();
  });

  it('gives one connection one socket, however many CONNECT packets it sends at once', async () => {
    // Socket.IO ignores a second CONNECT only once the first has finished connecting: 5,000 of them in
    // one 15 KB long-polling POST made 5,000 sockets (and stalled the event loop for ~2 s).
    const hs = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
    const sid = (JSON.parse((await hs.text()).slice(1)) as { sid: string }).sid;
    // Engine.IO's table of connections by sid (protected in its types).
    const clients = (srv.io.engine as unknown as { clients: Record<string, { readyState: string }> }).clients;
    const conn = clients[sid]!;
    // Socket objects made, not only 'connection' events: a socket made and dropped before it connects
    // has still cost its making (Socket.IO's private Namespace._createSocket makes every one).
    const nsp = srv.io.of('/') as unknown as {
      _createSocket: (client: { conn: unknown }, ...rest: unknown[]) => unknown;
    };
    const make = nsp._createSocket;
    let sockets = 0;
    nsp._createSocket = function (this: unknown, client, ...rest) {
      if (client.conn === conn) sockets++;
      return make.call(this, client, ...rest);
    };
    try {
      const post = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
        method: 'POST',
        body: Array.from({ length: 200 }, () => '40').join('\x1e'),
      });
      await post.arrayBuffer();
      // Either the server closed this connection, or its CONNECTs became sockets.
      await expect.poll(() => conn.readyState !== 'open' || sockets > 1, { timeout: 5000 }).toBe(true);
    } finally {
      nsp._createSocket = make;
    }
    expect(sockets).toBeLessThanOrEqual(1);
    await healthy();
  });

  it('answers a URL with a bad %-encoding with 400 and no stack or path', async () => {
    for (const url of ['/api/games/%E0%A4%A', '/%', '/play/%zz', '/api/scenarios/%c0%ae%c0%ae/history']) {
      const r = await fetch(`${srv.url}${url}`);
      const body = await r.text();
      expect(r.status, url).toBe(400);
      expect(body, url).not.toMatch(/at |node_modules|\/work\/|\.ts:|Error:/);
      expect(body.length, url).toBeGreaterThan(5);
    }
    await healthy();
  });
});
