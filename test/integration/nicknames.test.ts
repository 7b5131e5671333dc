import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, next, ok, testServer } from './helpers.ts';

/** Names that look like someone else's, or that hide text-direction tricks, sent to a live room. */
describe('look-alike nicknames', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer();
  });
  afterAll(() => srv.close());

  it('refuses direction controls and folds invisible and full-width characters before the room compares', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const s = await client(srv.url);
    ok(await call(s, 'player:join', { roomCode, nickname: 'Ada' }));
    const other = await client(srv.url);
    for (const nickname of ['Ada\u200b', '\u200bAda', '\uff21\uff44\uff41']) {
      const r = await call(other, 'player:join', { roomCode, nickname });
      expect(!r.ok && r.error.code, JSON.stringify(nickname)).toBe('nickname-taken');
    }
    const rlo = await call(other, 'player:join', { roomCode, nickname: '\u202eadA' });
    expect(!rlo.ok && rlo.error.code).toBe('invalid-payload');
    expect(!rlo.ok && rlo.error.message).toMatch(/direction/);
    closeAll([teacher, s, other]);
  });

  it('refuses rude nicknames with a clear error (spelled plainly, in l33t or full-width) and lets innocent ones in', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const s = await client(srv.url);
    for (const nickname of ['Shit head', 'sh1thead', 'FUUUCK', '\uff26\uff55\uff43\uff4b']) {
      const r = await call(s, 'player:join', { roomCode, nickname });
      expect(!r.ok && r.error.code, nickname).toBe('nickname-not-allowed');
      expect(!r.ok && r.error.message).toMatch(/not allowed in class/);
    }
    // Nothing changed: the room is still empty.
    expect((await next(teacher, 'view:class')).players).toEqual([]);
    for (const nickname of ['Scunthorpe', 'Cassandra', 'Peacock']) {
      const other = await client(srv.url);
      ok(await call(other, 'player:join', { roomCode, nickname }));
      other.close();
    }
    closeAll([teacher, s]);
  });

  it("refuses a nickname that would pass for a bot's, and a bot's name as the class sees it", async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { bots: ['hybrid'] } });
    const s = await client(srv.url);
    for (const nickname of ['Sam 🤖 bot', '🤖', 'Bot: Sam', 'bot:Sam']) {
      const r = await call(s, 'player:join', { roomCode, nickname });
      expect(!r.ok && r.error.code, nickname).toBe('nickname-not-allowed');
      expect(!r.ok && r.error.message).toMatch(/bots/);
    }
    const hal = await call(s, 'player:join', { roomCode, nickname: 'Hybrid Hal' });
    expect(!hal.ok && hal.error.code).toBe('nickname-taken');
    // Names that only mention bots are fine.
    ok(await call(s, 'player:join', { roomCode, nickname: 'Robot Rita' }));
    closeAll([teacher, s]);
  });
});
