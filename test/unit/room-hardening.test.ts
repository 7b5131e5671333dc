import { describe, expect, it } from 'vitest';
import { recoverRoom } from '../../server/rooms/room-recovery.ts';
import { FakeTransport } from './helpers/fake-transport.ts';
import { FaultyStore } from './helpers/faulty-store.ts';
import { makeRoom } from './helpers/test-room.ts';

/** The logged purchases of stands. */
function standsBought(log: { commands: { cmd: { type: string; item?: string } }[] }): number {
  return log.commands.filter((e) => e.cmd.type === 'buy' && e.cmd.item === 'stand').length;
}

describe('room core under attack', () => {
  it('a look-alike of a taken nickname is refused by the room (Cyrillic А beside Latin A)', async () => {
    const { room, settle, store } = makeRoom();
    expect(await settle(room.join('Ada'))).toMatchObject({ ok: true });
    for (const name of ['\u0410da', 'ＡＤＡ', 'A\u200bda'])
      expect(await settle(room.join(name))).toMatchObject({ ok: false, error: { code: 'nickname-taken' } });
    expect(store.getGame(room.gameId)!.players.map((p) => p.name)).toEqual(['Ada']);
  });

  it('a command retried after a lost ack gets its first outcome and is applied once, also after a restart', async () => {
    const { room, settle, store, clock, deps, transport } = makeRoom();
    const ann = await settle(room.join('Ann'));
    const bob = await settle(room.join('Bob'));
    if (!ann.ok || !bob.ok) throw new Error('join failed');
    transport.connected.add(ann.playerId);
    await settle(room.teacherAction({ type: 'start', commandId: 'teacher-start-1' }));
    clock.advance(500);

    const buy = { type: 'buy', item: 'stand', commandId: 'ann-buy-0001' } as const;
    // The first send and a retry racing it (the ack is still in flight): one purchase, one answer.
    const first = room.playerAction(ann.playerId, buy);
    const racing = room.playerAction(ann.playerId, buy);
    clock.flush();
    const ack = await first;
    expect(ack).toEqual({ ok: true, tick: 5 });
    expect(await racing).toEqual(ack);
    clock.advance(700);
    // A retry long after (the ack was lost): the first outcome, not a second stand.
    expect(await settle(room.playerAction(ann.playerId, buy))).toEqual(ack);
    // The same id from another student is another command.
    expect(await settle(room.playerAction(bob.playerId, buy))).toMatchObject({ ok: true, tick: 12 });
    expect(standsBought(store.getGame(room.gameId)!.log)).toBe(2);
    expect(store.getGame(room.gameId)!.log.commands.find((e) => e.id === buy.commandId)).toMatchObject({
      tick: 5,
    });
    // The teacher's start, retried: not a second start (which the game would refuse as already running).
    expect(await settle(room.teacherAction({ type: 'start', commandId: 'teacher-start-1' }))).toEqual({
      ok: true,
      tick: 0,
    });

    // The server dies; the room comes back from its log and still knows the id.
    room.dispose(false);
    const back = recoverRoom({ ...deps, transport: new FakeTransport() }, store.getGame(room.gameId)!);
    const retried = back.playerAction(ann.playerId, buy);
    clock.flush();
    expect(await retried).toEqual(ack);
    clock.advance(1000);
    expect(standsBought(store.getGame(room.gameId)!.log)).toBe(2);
    // A new id is a new command: Ann sells the stand she bought.
    const sell = back.playerAction(ann.playerId, {
      type: 'sell',
      item: 'stand',
      standId: 1,
      commandId: 'ann-sell-0001',
    });
    clock.flush();
    expect(await sell).toMatchObject({ ok: true });
    expect(store.getGame(room.gameId)!.log.commands.filter((e) => e.cmd.type === 'sell')).toHaveLength(1);
    back.dispose(true);
  });

  it('a disk that fills mid-game: the room holds still, shows "can\'t save", loses nothing, and carries on', async () => {
    const store = new FaultyStore();
    const { room, settle, clock, transport } = makeRoom({}, store);
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    transport.connected.add(ann.playerId);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(1000);
    expect(room.tick).toBe(10);

    store.fault = 'full';
    // Ann buys as the disk fills: applied, but not durable, so not acknowledged.
    let answered: unknown = null;
    const buy = room.playerAction(ann.playerId, { type: 'buy', item: 'stand', commandId: 'ann-buy-full' });
    void buy.then((o) => (answered = o));
    clock.advance(3000);
    expect(answered).toBeNull();
    // The game holds still and every screen says why.
    expect(room.tick).toBe(10);
    expect(transport.teacherViews.at(-1)?.cantSave).toMatchObject({ fault: 'full' });
    expect(transport.teacherViews.at(-1)?.cantSave?.message).toMatch(/disk is full/);
    // New commands get a clear, retryable refusal; a retry of the held one waits for the same answer.
    expect(
      await settle(room.playerAction(ann.playerId, { type: 'set-policy', policy: 'random' })),
    ).toMatchObject({ ok: false, error: { code: 'cant-save' } });
    expect(await settle(room.teacherAction({ type: 'pause' }))).toMatchObject({
      ok: false,
      error: { code: 'cant-save' },
    });
    expect(room.isPaused).toBe(false);
    const retry = room.playerAction(ann.playerId, { type: 'buy', item: 'stand', commandId: 'ann-buy-full' });
    expect(store.refused).toBeGreaterThan(2);

    // Space is freed: within a retry interval the held purchase is written and acknowledged at its tick.
    store.fault = null;
    clock.advance(1100);
    expect(await buy).toEqual({ ok: true, tick: 10 });
    expect(await retry).toEqual({ ok: true, tick: 10 });
    expect(store.getGame(room.gameId)!.log.commands.filter((e) => e.id === 'ann-buy-full')).toHaveLength(1);
    clock.advance(500);
    expect(transport.teacherViews.at(-1)?.cantSave).toBeUndefined();
    clock.advance(1000);
    expect(room.tick).toBeGreaterThan(10);
    expect(room.isDisposed).toBe(false);
  });

  it('a store whose file is gone: the teacher is told to restart, and nothing more is tried', async () => {
    const store = new FaultyStore();
    const { room, settle, clock, transport } = makeRoom({}, store);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(500);
    store.fault = 'gone';
    const start = room.teacherAction({ type: 'event', event: { kind: 'announce', text: 'hello' } });
    clock.advance(500);
    const refusedSoFar = store.refused;
    clock.advance(5000);
    expect(store.refused).toBe(refusedSoFar);
    expect(transport.teacherViews.at(-1)?.cantSave).toMatchObject({ fault: 'gone' });
    expect(transport.teacherViews.at(-1)?.cantSave?.message).toMatch(/Restart the server/);
    room.dispose(false);
    expect(await start).toMatchObject({ ok: false });
  });

  it('an unexpected exception inside one room closes that room only, and its teacher is told', async () => {
    const broken = makeRoom();
    const healthy = makeRoom();
    for (const r of [broken, healthy]) await r.settle(r.room.teacherAction({ type: 'start' }));
    // A fault in the room's own code (here: its view publishing) while the tick loop runs.
    broken.transport.sendTeacherView = () => {
      throw new Error('a bug in the views');
    };
    expect(() => broken.clock.advance(1000)).not.toThrow();
    expect(broken.room.isDisposed).toBe(true);
    expect(broken.closed).toEqual([broken.room]);
    expect(broken.transport.closedWith).toMatch(
      new RegExp(`error in the server \\(game ${broken.room.gameId}\\)`),
    );
    expect(broken.transport.closedWith).toMatch(/restart the server/);
    // Not closed for good: the log is intact and the room comes back at the next start.
    expect(broken.store.liveGameIds()).toContain(broken.room.gameId);
    expect(await broken.settle(broken.room.teacherAction({ type: 'end' }))).toMatchObject({
      ok: false,
      error: { code: 'unknown-room' },
    });
    healthy.clock.advance(1000);
    expect(healthy.room.tick).toBe(10);
    expect(healthy.room.isDisposed).toBe(false);
  });

  it('an empty lobby costs no wake-ups and closes after LOBBY_IDLE_TTL_MS; one with its teacher stays', async () => {
    const config = { lobbyIdleTtlMs: 10 * 60_000 };
    const empty = makeRoom({}, undefined, config);
    empty.transport.teacher = false;
    empty.room.touch(); // the teacher's connection left
    empty.clock.advance(1000);
    const firedBefore = empty.clock.fired;
    empty.clock.advance(9 * 60_000);
    // Nine minutes of an empty lobby: not one timer (10 Hz would be 5,400).
    expect(empty.clock.fired - firedBefore).toBe(0);
    expect(empty.room.isDisposed).toBe(false);
    empty.clock.advance(60_000);
    expect(empty.room.isDisposed).toBe(true);
    expect(empty.store.liveGameIds()).not.toContain(empty.room.gameId);

    const watched = makeRoom({}, undefined, config);
    watched.clock.advance(11 * 60_000);
    expect(watched.room.isDisposed).toBe(false);
    // A paused game nobody is connected to sleeps too, and wakes for the teacher coming back.
    await watched.settle(watched.room.teacherAction({ type: 'start' }));
    await watched.settle(watched.room.teacherAction({ type: 'pause' }));
    watched.transport.teacher = false;
    watched.room.touch();
    watched.clock.advance(1000);
    const pausedBefore = watched.clock.fired;
    watched.clock.advance(60_000);
    expect(watched.clock.fired - pausedBefore).toBe(0);
    watched.transport.teacher = true;
    watched.room.touch();
    watched.clock.advance(1000);
    expect(watched.transport.teacherViews.length).toBeGreaterThan(0);
    expect(watched.clock.fired - pausedBefore).toBeGreaterThan(3);
    await watched.settle(watched.room.teacherAction({ type: 'resume' }));
    watched.clock.advance(1000);
    expect(watched.room.tick).toBe(10);
  });

  it('a game whose log reaches MAX_LOG_COMMANDS takes no more commands, with a clear error; the teacher can end it', async () => {
    const { room, settle, clock, store } = makeRoom({ bots: ['scale-out'] }, undefined, {
      maxLogCommands: 100,
    });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    await settle(room.teacherAction({ type: 'start' }));
    const policies = ['random', 'round-robin'] as const;
    await settle(room.playerAction(ann.playerId, { type: 'buy', item: 'load-balancer' }));
    let refused: unknown = null;
    for (let i = 0; i < 200 && !refused; i++) {
      const r = await settle(
        room.playerAction(ann.playerId, { type: 'set-policy', policy: policies[i % 2]! }),
      );
      if (!r.ok) refused = r;
    }
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'log-full', message: expect.stringMatching(/limit of 100 commands/) },
    });
    clock.advance(5000);
    expect(room.tick).toBeGreaterThan(0);
    expect(store.getGame(room.gameId)!.log.commands.length).toBeLessThanOrEqual(100);
    expect(await settle(room.teacherAction({ type: 'end' }))).toMatchObject({ ok: true });
    expect(room.status).toBe('ended');
  });
});
