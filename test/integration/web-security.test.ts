import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { testServer } from './helpers.ts';

/** A page on another site, a framing attempt, content sniffing: the headers and the origin check. */
describe('web hardening', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ allowedOrigins: ['https://lemonscale.school.example'] });
  });
  afterAll(() => srv.close());

  it('sends a CSP that forbids framing and foreign scripts, nosniff and no referrer, on pages and API alike', async () => {
    for (const url of ['/', '/teacher', '/api/scenarios', '/api/nope', '/%']) {
      const r = await fetch(`${srv.url}${url}`);
      await r.arrayBuffer();
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toContain('unsafe-eval');
      expect(csp, url).not.toContain('upgrade-insecure-requests');
      expect(r.headers.get('x-frame-options'), url).toBe('DENY');
      expect(r.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(r.headers.get('x-powered-by'), url).toBeNull();
    }
  });

  const tryConnect = (extraHeaders: Record<string, string>): Promise<string> =>
    new Promise((resolve) => {
      const s = connect(srv.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders,
      });
      s.once('connect', () => {
        s.close();
        resolve('connected');
      });
      s.once('connect_error', (e) => {
        s.close();
        resolve(`refused: ${e.message}`);
      });
    });

  it('lets only its own pages and the allow-list open a socket', async () => {
    const host = new URL(srv.url).host;
    expect(await tryConnect({ origin: `http://${host}` })).toBe('connected');
    expect(await tryConnect({ origin: 'https://lemonscale.school.example' })).toBe('connected');
    expect(await tryConnect({})).toBe('connected');
    expect(await tryConnect({ origin: 'https://evil.example' })).toMatch(/^refused/);
    expect(await tryConnect({ origin: `http://${host}.evil.example` })).toMatch(/^refused/);
    expect(await tryConnect({ origin: 'null' })).toMatch(/^refused/);
    // Long-polling is checked the same way.
    const poll = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(poll.status).toBe(403);
    await poll.arrayBuffer();
  });
});
