import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type CommandOutcome } from '../../server/rooms/command-queue.ts';
import { RoomJournal } from '../../server/rooms/room-journal.ts';
import { GroupCommitStore } from '../../server/storage/group-commit-store.ts';
import { SqliteStore } from '../../server/storage/sqlite-store.ts';
import { LogSequenceError, StoreWriteError } from '../../server/storage/store-errors.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import type { Command } from '../../shared/sim/commands.ts';
import { FakeClock } from './helpers/fake-clock.ts';
import { lemonadeWeekGame, recordingQueue } from './helpers/recording-queue.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function sqlite(maxPages?: number): SqliteStore {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-group-'));
  dirs.push(d);
  return new SqliteStore(d, maxPages === undefined ? {} : { maxPages });
}

/** One turn of the event loop (the store writes at the end of one). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A room's command path over the shared store: a game, its journal and its command queue. */
function room(store: GroupCommitStore, gameId: string, clock: FakeClock) {
  const game = lemonadeWeekGame();
  const journal = new RoomJournal(store, gameId, game, clock, () => ({
    tick: game.state.tick,
    paused: false,
    speed: 1,
    locked: false,
    scoresHidden: false,
  }));
  const { queue, held, failed } = recordingQueue(game, journal, clock);
  return { game, journal, queue, held, failed };
}

const join = (n: number): Command => ({ type: 'join', playerId: `p-${n}`, name: `Kid ${n}`, bot: null });

/** Two rooms, each created (one transaction for both). */
async function twoRooms(inner: SqliteStore) {
  const store = new GroupCommitStore(inner);
  const clock = new FakeClock();
  const a = room(store, 'aaaaaaaaaaaaaaaa', clock);
  const b = room(store, 'bbbbbbbbbbbbbbbb', clock);
  await Promise.all([a.journal.createGame('AAAAA', 'h', []), b.journal.createGame('BBBBB', 'h', [])]);
  return { store, clock, a, b };
}

describe('one SQLite transaction for the writes of every room (GroupCommitStore)', () => {
  it('names the games whose writes are handed over and not yet written (the retention sweep spares them)', async () => {
    const store = new GroupCommitStore(sqlite());
    expect(store.waitingGames()).toEqual(new Set());
    const writes = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa'].map((id) =>
      store.writeTogether(id, () => {}),
    );
    expect(store.waitingGames()).toEqual(new Set(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']));
    await Promise.all(writes);
    expect(store.waitingGames()).toEqual(new Set());
  });

  it('commits two rooms in one transaction, and acknowledges each only after it', async () => {
    const inner = sqlite();
    const { store, clock, a, b } = await twoRooms(inner);
    expect(store.transactions).toBe(1);
    let acks = 0;
    const count = (o: CommandOutcome) => {
      acks++;
      return o;
    };
    const pa = a.queue.enqueue({ cmd: join(1) }).then(count);
    const pb = b.queue.enqueue({ cmd: join(2) }).then(count);
    clock.flush(); // both rooms pump: each hands its write over
    await Promise.resolve();
    expect(acks).toBe(0); // not committed yet: nothing acknowledged
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.log.commands).toHaveLength(0);
    const [oa, ob] = await Promise.all([pa, pb]);
    expect(oa).toEqual({ ok: true, tick: 0 });
    expect(ob).toEqual({ ok: true, tick: 0 });
    expect(store.transactions).toBe(2);
    expect(store.writes).toBe(4);
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.log.commands.map((c) => c.cmd)).toEqual([join(1)]);
    expect(inner.getGame('bbbbbbbbbbbbbbbb')!.log.commands.map((c) => c.cmd)).toEqual([join(2)]);
    inner.close();
  });

  it('keeps each room in order when a room writes twice before a commit', async () => {
    const inner = sqlite();
    const { store, clock, a, b } = await twoRooms(inner);
    const order: string[] = [];
    const first = a.queue.enqueue({ cmd: join(1) }).then(() => order.push('a1'));
    clock.flush();
    const second = a.queue.enqueue({ cmd: join(2) }).then(() => order.push('a2'));
    const other = b.queue.enqueue({ cmd: join(3) }).then(() => order.push('b'));
    clock.flush();
    await Promise.all([first, second, other]);
    // The second write of room A waited for the next transaction (what it writes depends on the first).
    expect(order).toEqual(['a1', 'b', 'a2']);
    expect(store.transactions).toBe(3);
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.log.commands.map((c) => c.cmd)).toEqual([join(1), join(2)]);
    expect(inner.getGame('bbbbbbbbbbbbbbbb')!.log.commands.map((c) => c.cmd)).toEqual([join(3)]);
    inner.close();
  });

  it('a full disk holds the commands of both rooms, unacknowledged, and both are written once it clears', async () => {
    const inner = sqlite(40);
    const { store, clock, a, b } = await twoRooms(inner);
    // Fill the file to its cap through a third game, written directly, down to its last few bytes.
    inner.createGame({ ...fillerGame() });
    let n = 0;
    for (const size of [4000, 400, 40, 1]) {
      const entry = { tick: 0, cmd: { type: 'announce', text: 'x'.repeat(size) } as never };
      for (;;) {
        try {
          inner.appendCommands('ffffffffffffffff', n, [entry]);
          n++;
        } catch (e) {
          expect(e).toBeInstanceOf(StoreWriteError);
          break;
        }
      }
    }
    let acked = 0;
    // Room A's write meets the full disk (a player row bigger than what is left); room B's is small but
    // shares the transaction, which SQLite may have rolled back whole: both rooms hold.
    const bigPlayer = { playerId: 'p-1', name: 'x'.repeat(20_000), tokenHash: 't', kicked: false };
    const pa = a.queue
      .enqueue({ cmd: join(1), write: () => store.addPlayer('aaaaaaaaaaaaaaaa', bigPlayer) })
      .then(() => acked++);
    const pb = b.queue.enqueue({ cmd: join(2) }).then(() => acked++);
    clock.flush();
    for (let i = 0; i < 5; i++) await turn();
    expect(a.held.map((e) => e.fault)).toEqual(['full']);
    expect(b.held.map((e) => e.fault)).toEqual(['full']);
    expect(acked).toBe(0);
    expect(a.queue.holding && b.queue.holding).toBe(true);
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.log.commands).toHaveLength(0);
    expect(inner.getGame('bbbbbbbbbbbbbbbb')!.log.commands).toHaveLength(0);
    // Space again: the rooms retry their held writes (RoomRuntime does it on its retry interval).
    (inner as unknown as { db: Database.Database }).db.pragma('max_page_count = 100000');
    a.queue.retryHeld();
    b.queue.retryHeld();
    await Promise.all([pa, pb]);
    expect(acked).toBe(2);
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.log.commands.map((c) => c.cmd)).toEqual([join(1)]);
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.players.map((p) => p.playerId)).toEqual(['p-1']);
    expect(inner.getGame('bbbbbbbbbbbbbbbb')!.log.commands.map((c) => c.cmd)).toEqual([join(2)]);
    expect(a.failed.concat(b.failed)).toEqual([]);
    inner.close();
  });

  it("one room's refused write (not a disk fault) is rolled back alone; the other room's commits", async () => {
    const inner = sqlite();
    const store = new GroupCommitStore(inner);
    inner.createGame({ ...fillerGame(), gameId: 'aaaaaaaaaaaaaaaa' });
    inner.createGame({ ...fillerGame(), gameId: 'bbbbbbbbbbbbbbbb' });
    const entry = { tick: 1, cmd: join(1) };
    const bad = store.writeTogether('aaaaaaaaaaaaaaaa', () => {
      store.saveRoom('aaaaaaaaaaaaaaaa', {
        tick: 9,
        paused: true,
        speed: 1,
        locked: false,
        scoresHidden: false,
      });
      store.appendCommands('aaaaaaaaaaaaaaaa', 5, [entry]); // a gap: refused
    });
    const good = store.writeTogether('bbbbbbbbbbbbbbbb', () =>
      store.appendCommands('bbbbbbbbbbbbbbbb', 0, [entry]),
    );
    await expect(bad).rejects.toBeInstanceOf(LogSequenceError);
    await good;
    expect(store.transactions).toBe(1);
    expect(inner.getGame('bbbbbbbbbbbbbbbb')!.log.commands).toHaveLength(1);
    // Nothing of the refused room's write stayed, not even its snapshot.
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.room.tick).toBe(0);
    inner.close();
  });

  it('drain() writes what was handed over before the store closes', async () => {
    const inner = sqlite();
    const store = new GroupCommitStore(inner);
    inner.createGame({ ...fillerGame(), gameId: 'aaaaaaaaaaaaaaaa' });
    const p = store.saveRoom('aaaaaaaaaaaaaaaa', {
      tick: 42,
      paused: false,
      speed: 1,
      locked: false,
      scoresHidden: false,
    });
    await store.drain();
    await p;
    expect(inner.getGame('aaaaaaaaaaaaaaaa')!.room.tick).toBe(42);
    inner.close();
  });
});

function fillerGame() {
  return {
    gameId: 'ffffffffffffffff',
    roomCode: 'FFFFF',
    createdAt: 1,
    header: { scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} },
    teacherTokenHash: 'h',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  };
}
