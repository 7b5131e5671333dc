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
});
