import { describe, expect, it } from 'vitest';
import { CommandQueue } from '../../server/rooms/command-queue.ts';
import type { RoomJournal } from '../../server/rooms/room-journal.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { FakeClock } from './helpers/fake-clock.ts';

/**
 * The durability step may become asynchronous (a store that commits a batch per tick): the queue must
 * acknowledge only once it has resolved, and nothing at all if it fails.
 */
function queueWithAsyncJournal() {
  const game = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} });
  const clock = new FakeClock();
  let finish: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  const journal = {
    endPending: false,
    commit: () =>
      new Promise<void>((resolve, reject) => {
        finish = { resolve, reject };
      }),
  } as unknown as RoomJournal;
  const failures: unknown[] = [];
  const queue = new CommandQueue(
    game,
    journal,
    clock,
    {
      changed: () => {},
      cantSave: (e) => failures.push(e),
      writeFailed: (e) => failures.push(e),
      ended: () => {},
    },
    () => {},
  );
  return { game, clock, queue, failures, finish: () => finish! };
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
    const { clock, queue, finish, failures } = queueWithAsyncJournal();
    const done: string[] = [];
    const ack = queue.enqueue({
      cmd: { type: 'join', playerId: 'p-1', name: 'Ann', bot: null },
      done: () => done.push('done'),
    });
    clock.flush();
    finish().reject(new Error('connection lost'));
    expect(await ack).toMatchObject({ ok: false, error: { code: 'server-error' } });
    expect(done).toEqual([]);
    expect(failures).toHaveLength(1);
  });
});
