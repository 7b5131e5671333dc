import { describe, expect, it } from 'vitest';
import { recoverRoom } from '../../server/rooms/room-recovery.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { postmortem } from '../../shared/debrief/postmortem.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { replayLog } from '../../shared/sim/log-fold.ts';
import { CHECKPOINT_EVERY, decodeCheckpoint, encodeCheckpoint } from '../../shared/sim/checkpoint.ts';
import { FakeTransport } from './helpers/fake-transport.ts';
import { makeRoom, week } from './helpers/test-room.ts';

describe('room core (fake clock, fake transport)', () => {
  it('a join is durable before it is acknowledged, and a taken nickname is refused', async () => {
    const { room, store, settle } = makeRoom({ bots: ['scale-up'] });
    const ann = await settle(room.join('Ann'));
    expect(ann).toMatchObject({ ok: true, tick: 0 });
    if (!ann.ok) return;
    const stored = store.getGame(room.gameId)!;
    expect(stored.players.map((p) => p.name)).toEqual(['Bot: Scale-Up Sam', 'Ann']);
    expect(stored.log.commands.map((e) => e.cmd)).toContainEqual({
      type: 'join',
      playerId: ann.playerId,
      name: 'Ann',
      bot: null,
    });
    expect(room.playerByToken(ann.playerToken)).toMatchObject({ ok: true, playerId: ann.playerId });

    const again = await settle(room.join('ANN'));
    expect(again).toMatchObject({ ok: false, error: { code: 'nickname-taken' } });
    expect(store.getGame(room.gameId)!.players).toHaveLength(2);
  });

  it('ticks on the clock, acks a purchase with the tick it took effect, and obeys pause and speed', async () => {
    const { room, clock, store, settle, transport } = makeRoom();
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    const f = transport.follow(room.businessSnapshot(ann.playerId)!);
    expect(await settle(room.teacherAction({ type: 'start' }))).toEqual({ ok: true, tick: 0 });

    clock.advance(1000);
    expect(room.tick).toBe(10);
    expect(f.point.tick).toBe(10);

    const buy = room.playerAction(ann.playerId, { type: 'buy', item: 'stand' });
    const ack = await settle(buy);
    expect(ack).toEqual({ ok: true, tick: 10 });
    // What was acknowledged is in the store, at the tick the ack names.
    const logged = store.getGame(room.gameId)!.log.commands.at(-1)!;
    expect(logged).toEqual({ tick: 10, cmd: { type: 'buy', item: 'stand', playerId: ann.playerId } });

    expect(await settle(room.teacherAction({ type: 'pause' }))).toEqual({ ok: true, tick: 10 });
    clock.advance(5000);
    expect(room.tick).toBe(10);
    expect(await settle(room.playerAction(ann.playerId, { type: 'buy', item: 'stand' }))).toMatchObject({
      ok: false,
      error: { code: 'game-paused' },
    });
    expect(store.getGame(room.gameId)!.room).toMatchObject({ tick: 10, paused: true });

    await settle(room.teacherAction({ type: 'speed', speed: 4 }));
    await settle(room.teacherAction({ type: 'resume' }));
    clock.advance(1000);
    expect(room.tick).toBe(50);
    expect(room.currentSpeed).toBe(4);
  });

  it('a teacher who ends the game gets results; the end and its hash are durable', async () => {
    const { room, clock, settle, transport, store } = makeRoom({ bots: ['hybrid'] });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    transport.connected.add(ann.playerId);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);
    const end = await settle(room.teacherAction({ type: 'end' }));
    expect(end).toEqual({ ok: true, tick: 20 });
    expect(room.status).toBe('ended');
    const hash = stateHash(room.game.state);
    expect(room.finalResults(ann.playerId)).toMatchObject({ hash, me: { id: ann.playerId } });
    expect(transport.ended.map((e) => e.playerId)).toEqual([null, ann.playerId]);
    const stored = store.getGame(room.gameId)!;
    expect(stored.summary.ended).toBe(true);
    expect(stored.log.end).toEqual({ tick: 20, hash });
    expect(stateHash(replayLog(stored.log))).toBe(hash);
  });

  it('refuses and acknowledges nothing when the store cannot write, and the room stops', async () => {
    const store = new MemoryStore();
    const { room, settle, closed } = makeRoom({}, store);
    store.appendCommands = () => {
      throw new Error('disk full');
    };
    const o = await settle(room.join('Ann'));
    expect(o).toMatchObject({ ok: false, error: { code: 'server-error' } });
    expect(room.isDisposed).toBe(true);
    expect(closed).toEqual([room]);
    expect(room.playerCount).toBe(0);
  });

  it('a room rebuilt from its store has the same hash, players and settings, and carries on', async () => {
    const { room, clock, settle, store, deps } = makeRoom({ bots: ['scale-out', 'hybrid'] });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(3000);
    await settle(room.playerAction(ann.playerId, { type: 'buy', item: 'stand' }));
    await settle(
      room.teacherAction({ type: 'event', event: { kind: 'surge', multiplier: 3, durationSeconds: 5 } }),
    );
    await settle(room.teacherAction({ type: 'speed', speed: 2 }));
    clock.advance(2500);
    room.dispose(false); // the server stops; the room is written down to come back
    const before = stateHash(room.game.state);

    const transport = new FakeTransport();
    const back = recoverRoom({ ...deps, transport }, store.getGame(room.gameId)!);
    expect(back.tick).toBe(room.tick);
    expect(stateHash(back.game.state)).toBe(before);
    expect(back.currentSpeed).toBe(2);
    expect(back.playerByToken(ann.playerToken)).toMatchObject({ ok: true, playerId: ann.playerId });
    // The bots must not decide twice at the tick the room came back at: the logs agree entry for entry.
    clock.advance(1000);
    expect(back.tick).toBeGreaterThan(room.tick);
    const log = store.getGame(room.gameId)!.log;
    expect(log.commands.slice(0, room.game.log.commands.length)).toEqual(room.game.log.commands);
    expect(stateHash(replayLog(log, { untilTick: back.tick }))).toBe(stateHash(back.game.state));
    back.dispose(true);
  });

  it('a room keeps a checkpoint every few game seconds and recovers from it plus the log tail', async () => {
    const { room, clock, settle, store, deps } = makeRoom({ bots: ['scale-out', 'hybrid', 'scale-up'] });
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(4000);
    await settle(room.teacherAction({ type: 'speed', speed: 4 }));
    clock.advance(4150);
    room.dispose(false);
    const cp = store.latestCheckpoint(room.gameId)!;
    // Within one checkpoint interval of where the room stopped.
    expect(cp.tick).toBeGreaterThan(0);
    expect(room.tick - cp.tick).toBeLessThanOrEqual(CHECKPOINT_EVERY + 10);
    const stored = store.getGame(room.gameId)!;
    const { state, next } = decodeCheckpoint(cp.bytes, week);
    expect(stateHash(state)).toBe(stateHash(replayLog(stored.log, { untilTick: cp.tick })));
    const back = recoverRoom({ ...deps, transport: new FakeTransport() }, stored);
    expect(stateHash(back.game.state)).toBe(stateHash(room.game.state));
    back.dispose(false);

    // Recovery really starts at the checkpoint: a doctored one shows through...
    state.players[0]!.cash += 1000;
    store.saveCheckpoint(room.gameId, cp.tick, encodeCheckpoint(state, next));
    const doctored = recoverRoom({ ...deps, transport: new FakeTransport() }, store.getGame(room.gameId)!);
    expect(doctored.game.state.players[0]!.cash).not.toBe(room.game.state.players[0]!.cash);
    doctored.dispose(false);
    // ...and an unreadable one is skipped: the whole log folds instead.
    store.saveCheckpoint(room.gameId, cp.tick, new TextEncoder().encode('{"v":0}'));
    const whole = recoverRoom({ ...deps, transport: new FakeTransport() }, store.getGame(room.gameId)!);
    expect(stateHash(whole.game.state)).toBe(stateHash(room.game.state));
    whole.dispose(true);
  });

  it('the live debrief equals the replay debrief of the same game, ended early by the teacher', async () => {
    const { room, clock, settle } = makeRoom({ bots: ['scale-up', 'scale-out'] });
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(3000);
    await settle(
      room.teacherAction({ type: 'event', event: { kind: 'surge', multiplier: 8, durationSeconds: 30 } }),
    );
    clock.advance(20_550); // the end falls between two game seconds
    await settle(room.teacherAction({ type: 'end' }));
    expect(room.game.log.end!.tick % 10).not.toBe(0);
    for (const id of ['bot-1', 'bot-2']) {
      const live = room.finalResults(id)!.debrief!;
      const replayed = postmortem(room.game.log, id).entries;
      expect(live.length).toBeGreaterThan(0);
      expect(live).toEqual(replayed);
    }
  });

  it('an ended room rebuilt from its store gives the same results and debrief', async () => {
    const { room, clock, settle, store, deps } = makeRoom({ bots: ['scale-up', 'hybrid'] });
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);
    await settle(
      room.teacherAction({ type: 'event', event: { kind: 'surge', multiplier: 8, durationSeconds: 20 } }),
    );
    clock.advance(12_340);
    await settle(room.teacherAction({ type: 'end' }));
    room.dispose(false);
    const back = recoverRoom({ ...deps, transport: new FakeTransport() }, store.getGame(room.gameId)!);
    expect(back.status).toBe('ended');
    expect(back.finalResults('bot-2')).toEqual(room.finalResults('bot-2'));
    expect(back.finalResults('bot-2')!.debrief!.length).toBeGreaterThan(0);
    back.dispose(true);
  });
});
