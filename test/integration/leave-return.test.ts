import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassView } from '../../shared/protocol/views.ts';
import type { RunningServer } from '../../server/server.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';
import { nextView } from './stream-client.ts';

const presence = (v: ClassView, id: string) => v.players.find((p) => p.id === id)?.presence;

/**
 * Leave and come back: the teacher sees who is online, away or gone; a student who left takes the same
 * business back from the same device (their token) or by typing the same nickname while it is unclaimed.
 */
describe('leaving and coming back', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  it('online, away and gone; the same nickname takes back a business that was left', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { speed: 1 } });
    const [ann, bob] = await joinStudents(srv.url, roomCode, 2);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    ok(await call(bob!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    await next(
      teacher,
      'view:class',
      (v) => presence(v, ann!.playerId) === 'online' && presence(v, bob!.playerId) === 'online',
    );

    // Ann's laptop closes (no Leave): away. Bob presses Leave: gone, and his connection drives nothing.
    ann!.socket.close();
    ok(await call(bob!.socket, 'player:leave', {}));
    const v = await next(
      teacher,
      'view:class',
      (c) => presence(c, ann!.playerId) === 'away' && presence(c, bob!.playerId) === 'gone',
    );
    expect(v.players.find((p) => p.id === bob!.playerId)?.removed).toBe(false);
    const after = await call(bob!.socket, 'player:action', { type: 'buy', item: 'stand' });
    expect(!after.ok && after.error.code).toBe('not-player');

    // An away student's nickname is still theirs: nobody takes a business that was not left.
    const other = await client(srv.url);
    const steal = await call(other, 'player:join', { roomCode, nickname: ann!.name });
    expect(!steal.ok && steal.error.code).toBe('nickname-taken');

    // Bob types his nickname again (another device, other case): the same business, a new token.
    const back = ok(await call(other, 'player:join', { roomCode, nickname: bob!.name.toUpperCase() }));
    expect(back).toMatchObject({ playerId: bob!.playerId, returned: true });
    expect(back.playerToken).not.toBe(bob!.playerToken);
    const view = await nextView(other);
    expect(view.me.id).toBe(bob!.playerId);
    expect(view.me.stands.length).toBe(2);
    await next(teacher, 'view:class', (c) => presence(c, bob!.playerId) === 'online');
    // The old token no longer works; the new one does.
    const stale = await client(srv.url);
    const old = await call(stale, 'player:resume', { roomCode, playerToken: bob!.playerToken });
    expect(!old.ok && old.error.code).toBe('bad-token');
    ok(await call(stale, 'player:resume', { roomCode, playerToken: back.playerToken }));
    // Once claimed, the nickname is taken again.
    const third = await client(srv.url);
    const again = await call(third, 'player:join', { roomCode, nickname: bob!.name });
    expect(!again.ok && again.error.code).toBe('nickname-taken');
    closeAll([teacher, other, stale, third, bob!.socket]);
  });

  it('the same device comes back with its token; Leave needs a joined connection', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const [cat] = await joinStudents(srv.url, roomCode, 1, 'Cat');
    const stranger = await client(srv.url);
    const nobody = await call(stranger, 'player:leave', {});
    expect(!nobody.ok && nobody.error.code).toBe('not-player');
    const junk = await call(cat!.socket, 'player:leave', { playerId: 'x' });
    expect(!junk.ok && junk.error.code).toBe('invalid-payload');

    ok(await call(cat!.socket, 'player:leave', {}));
    await next(teacher, 'view:class', (c) => presence(c, cat!.playerId) === 'gone');
    const r = ok(await call(cat!.socket, 'player:resume', { roomCode, playerToken: cat!.playerToken }));
    expect(r.playerId).toBe(cat!.playerId);
    await next(teacher, 'view:class', (c) => presence(c, cat!.playerId) === 'online');
    // Back with the token: the nickname is no longer up for grabs.
    const taken = await call(stranger, 'player:join', { roomCode, nickname: cat!.name });
    expect(!taken.ok && taken.error.code).toBe('nickname-taken');
    closeAll([teacher, stranger, cat!.socket]);
  });
});
