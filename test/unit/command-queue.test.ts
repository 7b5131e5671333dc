import { describe, expect, it } from 'vitest';
import { ROOM_MOVED, type CommandOutcome } from '../../server/rooms/command-queue.ts';
import { FencedError } from '../../server/storage/postgres-errors.ts';
import { StoreWriteError } from '../../server/storage/store-errors.ts';
import type { Command } from '../../shared/sim/commands.ts';
import type { RoomJournal } from '../../server/rooms/room-journal.ts';
import { FakeClock } from './helpers/fake-clock.ts';
import { lemonadeWeekGame, recordingQueue } from './helpers/recording-queue.ts';

/**
 * The durability step may become asynchronous (a store that commits a batch per tick): the queue must
 * acknowledge only once it has resolved, and nothing at all if it fails.
 */
function queueWithAsyncJournal() {
  const game = lemonadeWeekGame();
  const clock = new FakeClock();
  let finish: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  const journal = {
    endPending: false,
    commit: () =>
      new Promise<void>((resolve, reject) => {
        finish = { resolve, reject };
      }),
  } as unknown as RoomJournal;
  const { queue, held, failed } = recordingQueue(game, journal, clock);
  return { game, clock, queue, held, failed, finish: () => finish! };
}

describe('command queue over an asynchronous store', () => {
  it('acknowledges a command only after its write has committed', async () => {
    const { clock, queue, finish } = queueWithAsyncJournal();
    let acked = false;
    const done: string[] = [];
    const ack = queue
      .enqueue({
        cmd: { type: 'join', playerId: 'p-1', name: 'Ann', bot: null },
        done: () => done.push('done'),
      })
      .then((o) => {
        acked = true;
        return o;
      });
    clock.flush();
    // Applied to the game, but the write has not committed: no acknowledgement, no follow-up.
    await Promise.resolve();
    await Promise.resolve();
    expect(acked).toBe(false);
    expect(done).toEqual([]);
    finish().resolve();
    expect(await ack).toEqual({ ok: true, tick: 0 });
    expect(done).toEqual(['done']);
  });

  it('acknowledges nothing when the commit fails', async () => {
    const { clock, queue, finish, held, failed } = queueWithAsyncJournal();
    const done: string[] = [];
    const ack = queue.enqueue({
      cmd: { type: 'join', playerId: 'p-1', name: 'Ann', bot: null },
      done: () => done.push('done'),
    });
    clock.flush();
    finish().reject(new Error('connection lost'));
    expect(await ack).toMatchObject({ ok: false, error: { code: 'server-error' } });
    expect(done).toEqual([]);
    // Not a passing store refusal: the room must stop.
    expect(held).toEqual([]);
    expect(failed).toHaveLength(1);
  });
});

describe('a room dropped to another process (cluster mode: lease lost, write fenced)', () => {
  const join = (n: number): Command => ({
    type: 'join',
    playerId: `p-${n}`,
    name: `Student ${n}`,
    bot: null,
  });

  it('refuses its commands in flight, queued and arriving with the retryable owner-unavailable', async () => {
    const { clock, queue, finish, held, failed } = queueWithAsyncJournal();
    const inFlight = queue.enqueue({ cmd: join(1), id: 'c1' });
    clock.flush(); // applied, its write sent
    const queued = queue.enqueue({ cmd: join(2), id: 'c2' }); // waits for the next boundary
    // ClusterGameStore drops the room (RoomRuntime.drop: close(ROOM_MOVED)) before the write rejects.
    queue.close(ROOM_MOVED);
    finish().reject(new FencedError('g-1', 1, 2));
    for (const o of await Promise.all([inFlight, queued, queue.enqueue({ cmd: join(3), id: 'c3' })]))
      expect(o).toMatchObject({ ok: false, error: { code: 'owner-unavailable' } });
    // A retry with the same id here gets the same answer (the page then finds the new owner).
    expect(await queue.enqueue({ cmd: join(1), id: 'c1' })).toMatchObject({
      ok: false,
      error: { code: 'owner-unavailable' },
    });
    // The room is already stopped: no second "write failed" stop.
    expect(held).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('a write that committed before the drop is still acknowledged (it is durable)', async () => {
    const { clock, queue, finish } = queueWithAsyncJournal();
    const ack = queue.enqueue({ cmd: join(1), id: 'c1' });
    clock.flush();
    queue.close(ROOM_MOVED);
    finish().resolve();
    expect(await ack).toEqual({ ok: true, tick: 0 });
  });

  it('commands held while the store could not save get owner-unavailable, not unknown-room', async () => {
    const { clock, queue, state, join: joinOne } = groupedQueue();
    state.full = true;
    const held = joinOne(1);
    clock.endWindow();
    await settled();
    expect(queue.holding).toBe(true);
    queue.close(ROOM_MOVED);
    expect(await held).toMatchObject({ ok: false, error: { code: 'owner-unavailable' } });
  });

  it('a room closed for good still answers unknown-room, and a failed write server-error', async () => {
    const { clock, queue, finish } = queueWithAsyncJournal();
    const inFlight = queue.enqueue({ cmd: join(1) });
    clock.flush();
    const queued = queue.enqueue({ cmd: join(2) });
    queue.close();
    finish().reject(new Error('connection lost'));
    expect(await queued).toMatchObject({ ok: false, error: { code: 'unknown-room' } });
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'server-error' } });
  });
});

/** A fake clock whose group-commit window passes only when the test says so. */
class WindowClock extends FakeClock {
  private windows: (() => void)[] = [];
  override afterWindow(fn: () => void, _ms?: number): void {
    this.windows.push(fn);
  }
  /** The window ends: what waited for it runs. */
  endWindow(): void {
    const w = this.windows;
    this.windows = [];
    for (const fn of w) fn();
  }
}

/** A queue over a synchronous journal that counts its writes and can refuse them (a full disk). */
function groupedQueue() {
  const game = lemonadeWeekGame();
  const clock = new WindowClock();
  const state = { commits: 0, full: false };
  const journal = {
    endPending: false,
    commit: () => {
      if (state.full) throw new StoreWriteError('full', 'injected: the disk is full');
      state.commits++;
    },
  } as unknown as RoomJournal;
  const { queue, held } = recordingQueue(game, journal, clock, { throwOnFailure: true });
  const acks: CommandOutcome[] = [];
  const send = (cmd: Command): Promise<CommandOutcome> =>
    queue.enqueue({ cmd }).then((o) => (acks.push(o), o));
  const join = (n: number): Promise<CommandOutcome> =>
    send({ type: 'join', playerId: `p-${n}`, name: `Student ${n}`, bot: null });
  return { game, clock, queue, state, held, acks, send, join };
}

const settled = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('group commit: commands arriving together share one store write', () => {
  it("students' commands wait for the window and are written once, then acknowledged", async () => {
    const { clock, state, acks, join } = groupedQueue();
    const joins = [join(1), join(2), join(3)];
    clock.flush();
    await settled();
    expect(state.commits).toBe(0);
    expect(acks).toEqual([]);
    clock.endWindow();
    expect(await Promise.all(joins)).toEqual([
      { ok: true, tick: 0 },
      { ok: true, tick: 0 },
      { ok: true, tick: 0 },
    ]);
    expect(state.commits).toBe(1);
  });

  it("a teacher's command goes at once and takes the waiting ones with it", async () => {
    const { clock, state, join, send } = groupedQueue();
    const joins = [join(1), join(2)];
    const start = send({ type: 'start' });
    clock.flush();
    expect(await start).toEqual({ ok: true, tick: 0 });
    expect(await Promise.all(joins)).toMatchObject([{ ok: true }, { ok: true }]);
    expect(state.commits).toBe(1);
    clock.endWindow(); // the window's pump finds nothing left: no empty write
    expect(state.commits).toBe(1);
  });

  it("the tick loop's boundary takes what waits, in one write, before the window ends", async () => {
    const { clock, queue, state, join } = groupedQueue();
    const joins = [join(1), join(2), join(3)];
    queue.commit(queue.applyQueued()); // what RoomRuntime.wake does at each boundary
    expect(await Promise.all(joins)).toMatchObject([{ ok: true }, { ok: true }, { ok: true }]);
    expect(state.commits).toBe(1);
    clock.endWindow();
    expect(state.commits).toBe(1);
  });

  it('a grouped write the store refuses is held whole, unacknowledged, and acknowledged once written', async () => {
    const { clock, queue, state, held, acks, join } = groupedQueue();
    state.full = true;
    const joins = [join(1), join(2)];
    clock.endWindow();
    await settled();
    expect(held).toHaveLength(1);
    expect(acks).toEqual([]);
    expect(queue.holding).toBe(true);
    // Meanwhile new commands are refused, clearly, and change nothing.
    expect(await join(3)).toMatchObject({ ok: false, error: { code: 'cant-save' } });
    state.full = false;
    expect(queue.retryHeld()).toBe(true);
    expect(await Promise.all(joins)).toEqual([
      { ok: true, tick: 0 },
      { ok: true, tick: 0 },
    ]);
    expect(state.commits).toBe(1);
  });
});
