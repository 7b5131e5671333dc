import { describe, expect, it } from 'vitest';
import { makeRoom } from './helpers/test-room.ts';

/**
 * Cluster mode: a room dropped from this process (lost lease, fenced write) runs on another one soon.
 * Commands it had not acknowledged must be retried there, so they get the retryable `owner-unavailable`
 * (the page retries with the same command id; the new owner dedups by it), never `unknown-room`.
 */
describe('a room dropped to another process', () => {
  it('refuses what waits and what comes after with owner-unavailable, and moves its connections', async () => {
    const { room, settle, transport, closed } = makeRoom();
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error(ann.error.message);
    expect(await settle(room.teacherAction({ type: 'start' }))).toMatchObject({ ok: true });

    // A student's command waits for the group-commit window when the room is dropped.
    const waiting = room.playerAction(ann.playerId, { type: 'buy', item: 'stand' });
    const joining = room.join('Bob');
    room.drop('lease lost');
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'owner-unavailable' } });
    expect(await joining).toMatchObject({ ok: false, error: { code: 'owner-unavailable' } });
    expect(await room.playerAction(ann.playerId, { type: 'buy', item: 'stand' })).toMatchObject({
      ok: false,
      error: { code: 'owner-unavailable' },
    });
    expect(transport.movedAway).toBe(true);
    expect(closed).toEqual([room]);
  });

  it('a server stopping (Ctrl-C, SIGTERM) refuses what waits with owner-unavailable: the room moves on', async () => {
    const { room, settle, closed } = makeRoom();
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error(ann.error.message);
    expect(await settle(room.teacherAction({ type: 'start' }))).toMatchObject({ ok: true });
    const waiting = room.playerAction(ann.playerId, { type: 'buy', item: 'stand' });
    room.stopForHandover();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'owner-unavailable' } });
    expect(await room.playerAction(ann.playerId, { type: 'buy', item: 'stand' })).toMatchObject({
      ok: false,
      error: { code: 'owner-unavailable' },
    });
    expect(closed).toEqual([room]);
  });

  it('a room closed for good still answers unknown-room', async () => {
    const { room, settle } = makeRoom();
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error(ann.error.message);
    const waiting = room.playerAction(ann.playerId, { type: 'buy', item: 'stand' });
    room.dispose(true);
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'unknown-room' } });
  });
});
