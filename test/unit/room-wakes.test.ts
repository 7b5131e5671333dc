import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCommitStore } from '../../server/storage/group-commit-store.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { SqliteStore } from '../../server/storage/sqlite-store.ts';
import { FakeClock } from './helpers/fake-clock.ts';
import { makeRoom } from './helpers/test-room.ts';

/**
 * A room with someone connected wakes once per broadcast interval (100 ms) at speed 1, and once per tick
 * when ticks come faster: its tick messages leave at tick boundaries, and a lobby or a paused game looks
 * at the stream at the same cadence. Before, a lobby or a paused room with someone connected woke every
 * 5 ms (~160 times a second), a running room 14 times a second once a forced message had put the stream
 * out of step with its ticks, and a room at speed 4 ~70 times a second for 40 ticks, Node's timers firing
 * a little early (the clock here fires them 3 ms early, as a busy process does).
 */
describe('how often a room wakes', () => {
  it('ten times a second in a lobby, running, after a forced message and paused; once a tick at speed 4', async () => {
    const clock = new FakeClock(3);
    const { room, settle, transport } = makeRoom({}, new MemoryStore(), {}, undefined, clock);
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    transport.connected.add(ann.playerId);
    const wakesIn = (ms: number): number => {
      const before = clock.fired;
      clock.advance(ms);
      return clock.fired - before;
    };
    wakesIn(1000);
    // Fewer wakes, but the stream still says it is alive: its heartbeat, once a second.
    const heartbeats = transport.ticks.length;
    expect(wakesIn(1000), 'in the lobby').toBeLessThanOrEqual(11);
    expect(transport.ticks.length - heartbeats, 'heartbeats in the lobby').toBe(1);

    await settle(room.teacherAction({ type: 'start' }));
    expect(wakesIn(1000), 'running').toBeLessThanOrEqual(11);
    expect(room.tick).toBe(10);
    const sent = transport.ticks.length;
    // An announcement goes at once (a forced message, between two ticks)...
    clock.advance(37);
    await settle(room.teacherAction({ type: 'event', event: { kind: 'announce', text: 'Rush hour!' } }));
    expect(transport.ticks.length).toBe(sent + 1);
    // ...and the regular messages stay on the ticks' boundaries.
    wakesIn(63);
    expect(wakesIn(1000), 'after a forced message').toBeLessThanOrEqual(11);
    expect(room.tick).toBe(21);

    await settle(room.teacherAction({ type: 'speed', speed: 4 }));
    wakesIn(100);
    const tick = room.tick;
    expect(wakesIn(1000), 'at speed 4').toBeLessThanOrEqual(41);
    expect(room.tick - tick).toBe(40);

    await settle(room.teacherAction({ type: 'pause' }));
    wakesIn(100);
    const beforePause = transport.ticks.length;
    expect(wakesIn(3000), 'paused').toBeLessThanOrEqual(31);
    expect(transport.ticks.length - beforePause, 'heartbeats while paused').toBe(3);
  });

  it('sends ten tick messages a second when every timer fires 60 ms late (a busy machine)', async () => {
    const clock = new FakeClock(-60);
    const { room, settle, transport } = makeRoom({}, new MemoryStore(), {}, undefined, clock);
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    transport.connected.add(ann.playerId);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(1000);
    const sent = transport.ticks.length;
    const tick = room.tick;
    clock.advance(2000);
    expect(transport.ticks.length - sent).toBeGreaterThanOrEqual(19);
    expect(room.tick - tick).toBe(20);
  });

  it('does not run ahead when a wake comes between the start being applied and its write', async () => {
    // The embedded store as the server has it: the rooms' writes go in a transaction a turn later.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-start-gap-'));
    try {
      const store = new GroupCommitStore(new SqliteStore(dir));
      const { room, clock, transport } = makeRoom({}, store as never);
      const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
      await turn(); // the game's header written
      const joining = room.join('Ann');
      clock.flush();
      await turn();
      const ann = await joining;
      if (!ann.ok) throw new Error('join failed');
      transport.connected.add(ann.playerId);
      clock.advance(60_000); // a minute in the lobby
      const starting = room.teacherAction({ type: 'start' });
      clock.flush(); // the start is applied; its write waits for the next turn
      clock.advance(100); // a wake of the lobby's cadence in between
      expect(room.tick, 'no tick before the clock is anchored at the start').toBe(0);
      await turn();
      expect(await starting).toMatchObject({ ok: true, tick: 0 });
      clock.advance(1000);
      expect(room.tick).toBe(10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
