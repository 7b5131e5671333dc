import net from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { client, testServer, type ClientSocket } from './helpers.ts';

/**
 * One address holding connections without end: a script can open Engine.IO sessions with plain GETs
 * (20,000 in 9 s took ~100 MB, each kept ~45 s) or hold websockets open for as long as it answers pings.
 * Past CONNECTIONS_PER_ADDRESS open ones, that address's handshakes are refused; a closed one frees its
 * place.
 */
describe('connections from one address', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ connectionsPerAddress: 3 });
  });
  afterAll(() => srv.close());

  /** A websocket connection, or the reason it was refused. */
  const attempt = (): Promise<ClientSocket | string> => {
    const s: ClientSocket = connect(srv.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    return new Promise((resolve) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', (e) => {
        s.close();
        resolve(e.message);
      });
    });
  };
  /** Waits until a connection is let in (a closed one's place comes back when the server sees it close). */
  const admitted = async (): Promise<ClientSocket> => {
    let got: ClientSocket | string = '';
    await expect
      .poll(async () => typeof (got = await attempt()) !== 'string', { timeout: 5000, interval: 50 })
      .toBe(true);
    return got as unknown as ClientSocket;
  };

  it('refuses handshakes past the cap, long-polling or websocket, until one closes', async () => {
    const a = await client(srv.url);
    const b = await client(srv.url);
    // A bare long-polling session counts too (no Socket.IO connect needed to hold one).
    const polling = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(200);
    const sid = (JSON.parse((await polling.text()).slice(1)) as { sid: string }).sid;

    // A refused websocket upgrade reads as a 'websocket error' in the client; long-polling shows the words.
    expect(typeof (await attempt())).toBe('string');
    const fourth = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
    expect(fourth.status).toBe(403);
    expect(await fourth.text()).toMatch(/too many connections from this address/i);

    a.close();
    const c = await admitted();
    expect(typeof (await attempt())).toBe('string');
    // The long-polling session closes (its close packet): its place comes back too.
    await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' });
    const d = await admitted();
    for (const s of [b, c, d]) s.close();
  });

  /** Writes `text` on one new TCP connection and returns all it got back once the server closes it or `until` holds. */
  const raw = (text: string, until: (got: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const port = Number(new URL(srv.url).port);
      const sock = net.connect(port, '127.0.0.1', () => sock.write(text));
      let got = '';
      const done = (): void => {
        sock.destroy();
        resolve(got);
      };
      sock.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (until(got)) done();
      });
      sock.on('close', done);
      sock.on('error', reject);
    });
  const count = (text: string, status: number): number =>
    (text.match(new RegExp(`HTTP/1\\.1 ${status} `, 'g')) ?? []).length;

  /** Waits until every connection of the tests before has closed (their places free again). */
  const allClosed = (): Promise<void> =>
    expect.poll(() => (srv.io.engine as unknown as { clientsCount: number }).clientsCount).toBe(0);

  it('counts a handshake from when it is allowed: pipelined handshakes in one write stay under the cap', async () => {
    await allClosed();
    const n = 20;
    const handshake = 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const got = await raw(handshake.repeat(n), (t) => count(t, 200) + count(t, 403) === n);
    expect(count(got, 200)).toBe(3);
    expect(count(got, 403)).toBe(n - 3);
    // Their sessions are still open (the TCP socket closing ends no long-polling session): close them.
    for (const m of got.matchAll(/"sid":"([^"]+)"/g)) {
      await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling&sid=${m[1]}`, { method: 'POST', body: '1' });
    }
    for (const s of [await admitted(), await admitted(), await admitted()]) s.close();
  });

  it('gives a place back when the handshake never opens a connection (an upgrade ws refuses)', async () => {
    // Allowed by allowRequest, then refused by ws (no Sec-WebSocket-Key): no 'connection', no
    // 'connection_error'; only the socket's close says the place is free again.
    const upgrade =
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n';
    await allClosed();
    for (let i = 0; i < 5; i++) expect(count(await raw(upgrade, () => false), 400)).toBe(1);
    const held = [await admitted(), await admitted(), await admitted()];
    expect(typeof (await attempt())).toBe('string');
    for (const s of held) s.close();
  });
});

/**
 * An IPv6 network hands its devices a whole /64 and they pick addresses in it: counted one by one, one
 * machine could make up a new address per connection and never meet the cap. Behind the balancer (the
 * address is the X-Forwarded-For entry it adds), every address of one /64 counts as one client.
 */
describe('connections from one IPv6 network', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ connectionsPerAddress: 2, trustProxy: true });
  });
  afterAll(() => srv.close());

  const handshake = (from: string): Promise<Response> =>
    fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`, { headers: { 'x-forwarded-for': from } });

  it('counts every address of a /64 together, and another /64 apart', async () => {
    expect((await handshake('2001:db8:7:1::1')).status).toBe(200);
    expect((await handshake('2001:db8:7:1:ffff:0:0:2')).status).toBe(200);
    const third = await handshake('2001:db8:7:1:abcd:ef01:2345:6789');
    expect(third.status).toBe(403);
    expect(await third.text()).toMatch(/too many connections from this address/i);
    // The next network over, and an IPv4 client, are other clients.
    expect((await handshake('2001:db8:7:2::1')).status).toBe(200);
    expect((await handshake('192.0.2.44')).status).toBe(200);
  });
});
