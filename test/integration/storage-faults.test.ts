import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/storage/sqlite-store.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import type { GameStore, NewGame } from '../../server/storage/store.ts';
import { DamagedGameError, LogSequenceError, StoreWriteError } from '../../server/storage/store-errors.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { call, client, closeAll, createRoom, joinStudents, next, ok, sleep } from './helpers.ts';
import { failedStart, printed, startChild, stopChild, type ChildServer } from './child-server.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-faults-'));
  dirs.push(d);
  return d;
}
const children: ChildServer[] = [];
afterAll(async () => {
  for (const c of children) await stopChild(c.child, 'SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function game(gameId: string): NewGame {
  return {
    gameId,
    roomCode: 'ABCDE',
    createdAt: 1,
    header: { scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} },
    teacherTokenHash: 'h',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  };
}

const stand = (tick: number) => ({ tick, cmd: { type: 'buy', playerId: 'p1', item: 'stand' } as never });

describe('the store under faults', () => {
  it.each([
    ['memory', () => new MemoryStore()],
    ['sqlite', () => new SqliteStore(tempDir())],
  ] as [string, () => GameStore][])('%s: refuses a gap or a rewrite in command numbers', (_name, make) => {
    const store = make();
    store.createGame(game('aaaaaaaaaaaaaaaa'));
    store.appendCommands('aaaaaaaaaaaaaaaa', 0, [stand(1), stand(2)]);
    expect(() => store.appendCommands('aaaaaaaaaaaaaaaa', 3, [stand(3)])).toThrow(LogSequenceError);
    expect(() => store.appendCommands('aaaaaaaaaaaaaaaa', 1, [stand(3)])).toThrow(LogSequenceError);
    store.appendCommands('aaaaaaaaaaaaaaaa', 2, [stand(3)]);
    expect(store.getGame('aaaaaaaaaaaaaaaa')!.log.commands.map((c) => c.tick)).toEqual([1, 2, 3]);
    store.close();
  });

  it('a full disk raises a typed, catchable error, keeps nothing of the failed write, and the store goes on', () => {
    const store = new SqliteStore(tempDir(), { maxPages: 40 });
    store.createGame(game('aaaaaaaaaaaaaaaa'));
    let written = 0;
    let failure: unknown;
    const big = Array.from({ length: 50 }, (_, i) => ({
      tick: i,
      cmd: { type: 'announce', text: 'x'.repeat(400) } as never,
    }));
    try {
      for (;;) {
        store.appendCommands('aaaaaaaaaaaaaaaa', written, big);
        written += big.length;
      }
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(StoreWriteError);
    expect((failure as StoreWriteError).fault).toBe('full');
    expect((failure as Error).message).toMatch(/full/);
    expect(written).toBeGreaterThan(0);
    // The failed batch left nothing behind; reads work; a write that needs no new page still succeeds.
    expect(store.getGame('aaaaaaaaaaaaaaaa')!.log.commands).toHaveLength(written);
    store.saveRoom('aaaaaaaaaaaaaaaa', {
      tick: 7,
      paused: true,
      speed: 2,
      locked: false,
      scoresHidden: false,
    });
    expect(store.getGame('aaaaaaaaaaaaaaaa')!.room).toMatchObject({ tick: 7, paused: true });
    store.close();
  });

  // A real full disk: a 256 KB tmpfs, where the system lets this user mount one (root in a container).
  const mountPoint = path.join(os.tmpdir(), `lemonscale-tmpfs-${process.pid}`);
  const mounted = (() => {
    try {
      fs.mkdirSync(mountPoint, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it.skipIf(!mounted)(
    'a really full disk (tmpfs) gives the same typed error, and writes work again once space is freed',
    () => {
      const filler = path.join(mountPoint, 'filler');
      const store = new SqliteStore(path.join(mountPoint, 'data'));
      store.createGame(game('aaaaaaaaaaaaaaaa'));
      fs.writeFileSync(filler, Buffer.alloc(64 * 1024));
      const big = Array.from({ length: 20 }, (_, i) => ({
        tick: i,
        cmd: { type: 'announce', text: 'y'.repeat(500) } as never,
      }));
      let written = 0;
      let failure: unknown;
      try {
        for (;;) {
          store.appendCommands('aaaaaaaaaaaaaaaa', written, big);
          written += big.length;
        }
      } catch (e) {
        failure = e;
      }
      expect(failure).toBeInstanceOf(StoreWriteError);
      expect((failure as StoreWriteError).fault).toBe('full');
      expect(store.getGame('aaaaaaaaaaaaaaaa')!.log.commands).toHaveLength(written);
      fs.rmSync(filler);
      store.appendCommands('aaaaaaaaaaaaaaaa', written, big.slice(0, 2));
      expect(store.getGame('aaaaaaaaaaaaaaaa')!.log.commands).toHaveLength(written + 2);
      store.close();
    },
  );

  it.skipIf(!mounted)(
    'a disk that fills up under a running server: the room holds still, says so, and carries on once space is freed',
    async () => {
      const srv = await startChild(path.join(mountPoint, 'served'), { LOG_LEVEL: 'error' });
      children.push(srv);
      const { teacher, roomCode } = await createRoom(srv.url);
      const [s] = await joinStudents(srv.url, roomCode, 1);
      ok(await call(teacher, 'teacher:action', { type: 'start' }));
      const filler = path.join(mountPoint, 'filler-2');
      try {
        fs.writeFileSync(filler, Buffer.alloc(1024 * 1024));
      } catch {
        // ENOSPC: the disk is full, as intended (the part written stays).
      }
      // The teacher announces until a write meets the full disk: that command is held, unanswered.
      let held: { id: string; ack: Promise<unknown> } | null = null;
      for (let i = 0; i < 40 && !held; i++) {
        const id = `announce-${i}-full`;
        const ack = call(teacher, 'teacher:action', {
          type: 'event',
          event: { kind: 'announce', text: `note ${i} ${'x'.repeat(100)}` },
          commandId: id,
        });
        const r = await Promise.race([ack, sleep(1500).then(() => 'pending' as const)]);
        if (r === 'pending') held = { id, ack };
        else expect(r.ok).toBe(true);
      }
      expect(held).not.toBeNull();
      const told = await next(teacher, 'view:class', (v) => v.cantSave !== undefined);
      expect(told.cantSave).toMatchObject({ fault: 'full', message: expect.stringMatching(/disk is full/) });
      // The students' pages are told through the tick stream (in the students' words).
      const studentTold = await next(s!.socket, 'stream:tick', (m) => m.cantSave !== undefined);
      expect(studentTold.cantSave).toMatchObject({ fault: 'full', message: expect.stringMatching(/lost/) });
      const meanwhile = await call(s!.socket, 'player:action', { type: 'set-policy', policy: 'random' });
      expect(!meanwhile.ok && meanwhile.error.code).toBe('cant-save');
      await printed(srv, /is full: nothing could be saved/);
      expect(srv.child.exitCode).toBeNull();
      expect((await fetch(`${srv.url}/health`)).status).toBe(200);

      fs.rmSync(filler, { force: true });
      const first = (await held!.ack) as { ok: boolean; tick: number };
      expect(first.ok).toBe(true);
      const back = await next(teacher, 'view:class', (v) => v.cantSave === undefined && v.tick > first.tick);
      expect(back.status).toBe('running');
      await next(s!.socket, 'stream:tick', (m) => m.cantSave === undefined && m.to > first.tick);
      // The held command was written once: sending it again answers its first tick.
      const again = await call(teacher, 'teacher:action', {
        type: 'event',
        event: { kind: 'announce', text: 'again' },
        commandId: held!.id,
      });
      expect(again).toEqual(first);
      closeAll([teacher, s!.socket]);
      await stopChild(srv.child, 'SIGKILL');
    },
  );

  it('notices its data folder was deleted and refuses every write from then on', () => {
    const dir = tempDir();
    const store = new SqliteStore(dir);
    store.createGame(game('aaaaaaaaaaaaaaaa'));
    store.appendCommands('aaaaaaaaaaaaaaaa', 0, [stand(1)]);
    fs.rmSync(dir, { recursive: true, force: true });
    const refused = (fn: () => void): StoreWriteError => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(StoreWriteError);
        return e as StoreWriteError;
      }
      throw new Error('the write was taken');
    };
    expect(refused(() => store.appendCommands('aaaaaaaaaaaaaaaa', 1, [stand(2)])).fault).toBe('gone');
    // A new folder with a new file in its place is not the file this server was writing either.
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'lemonscale.db'), '');
    expect(
      refused(() =>
        store.saveRoom('aaaaaaaaaaaaaaaa', {
          tick: 1,
          paused: false,
          speed: 1,
          locked: false,
          scoresHidden: false,
        }),
      ).message,
    ).toMatch(/deleted|replaced/);
    store.close();
  });

  it('names the game whose rows are not valid JSON and lists the others', () => {
    const dir = tempDir();
    const store = new SqliteStore(dir);
    store.createGame(game('aaaaaaaaaaaaaaaa'));
    store.createGame(game('bbbbbbbbbbbbbbbb'));
    store.appendCommands('aaaaaaaaaaaaaaaa', 0, [stand(1)]);
    store.close();
    const raw = new Database(path.join(dir, 'lemonscale.db'));
    raw.prepare(`UPDATE commands SET cmd = '{"type": "buy", ' WHERE game_id = 'aaaaaaaaaaaaaaaa'`).run();
    raw.close();
    const again = new SqliteStore(dir);
    expect(() => again.getGame('aaaaaaaaaaaaaaaa')).toThrow(DamagedGameError);
    expect(() => again.getGame('aaaaaaaaaaaaaaaa')).toThrow(/aaaaaaaaaaaaaaaa.*command 0 is not valid JSON/);
    expect(again.getGame('bbbbbbbbbbbbbbbb')!.log.commands).toEqual([]);
    expect(again.listGames(10)).toHaveLength(2);
    again.close();
  });
});

/** Makes a data folder with three live rooms (a command each), stopped cleanly. */
async function threeRooms(
  dir: string,
): Promise<{ gameId: string; roomCode: string; teacherToken: string }[]> {
  const srv = await startChild(dir);
  children.push(srv);
  const rooms = [];
  for (let i = 0; i < 3; i++) {
    const r = await createRoom(srv.url);
    const [s] = await joinStudents(srv.url, r.roomCode, 1);
    ok(await call(r.teacher, 'teacher:action', { type: 'start' }));
    ok(await call(s!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    r.teacher.close();
    s!.socket.close();
    rooms.push({ gameId: r.gameId, roomCode: r.roomCode, teacherToken: r.teacherToken });
  }
  await stopChild(srv.child);
  return rooms;
}

function expectOneReadableLine(r: { code: number | null; stderr: string }, file: string, what: RegExp): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(what);
  expect(lines[0]).not.toMatch(/\bat .*\(|node_modules/);
}

describe('a running server whose data folder is deleted', () => {
  it('stops acknowledging in every room, and the process keeps running', async () => {
    const dir = tempDir();
    const srv = await startChild(dir, { LOG_LEVEL: 'error' });
    children.push(srv);
    const quiet = await createRoom(srv.url); // running, nobody acting: only the room's own writes
    ok(await call(quiet.teacher, 'teacher:action', { type: 'start' }));
    const busy = await createRoom(srv.url);
    const [s] = await joinStudents(srv.url, busy.roomCode, 1);
    ok(await call(busy.teacher, 'teacher:action', { type: 'start' }));
    ok(await call(s!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    fs.rmSync(dir, { recursive: true, force: true });
    // Not acknowledged: held by the room, which now cannot save and tells its teacher to restart.
    const after = await Promise.race([
      call(s!.socket, 'player:action', { type: 'set-policy', policy: 'random', commandId: 'after-the-rm' }),
      sleep(1500).then(() => 'no answer' as const),
    ]);
    expect(after === 'no answer' || (!after.ok && after.error.code === 'cant-save')).toBe(true);
    const told = await next(busy.teacher, 'view:class', (v) => v.cantSave !== undefined);
    expect(told.cantSave).toMatchObject({
      fault: 'gone',
      message: expect.stringMatching(/Restart the server/),
    });
    // The quiet room meets the vanished file on its own (its tick loop writes) and stops too.
    const until = Date.now() + 10_000;
    let pause = await call(quiet.teacher, 'teacher:action', { type: 'pause' });
    while (pause.ok && Date.now() < until) {
      await sleep(50);
      pause = await call(quiet.teacher, 'teacher:action', { type: 'pause' });
    }
    expect(!pause.ok && pause.error.code).toBe('cant-save');
    expect(srv.child.exitCode).toBeNull();
    expect((await fetch(`${srv.url}/health`)).status).toBe(200);
    closeAll([quiet.teacher, busy.teacher, s!.socket]);
    await stopChild(srv.child, 'SIGKILL');
  });
});

describe('starting on a damaged data folder', () => {
  it('closes only the games with damaged rows, names them, and recovers the rest', async () => {
    const dir = tempDir();
    const [a, b, c] = await threeRooms(dir);
    const raw = new Database(path.join(dir, 'lemonscale.db'));
    raw.prepare(`UPDATE commands SET cmd = 'not json' WHERE game_id = ?`).run(a!.gameId);
    raw.prepare(`UPDATE games SET header = '{"scenario": ' WHERE game_id = ?`).run(b!.gameId);
    raw.close();
    const srv = await startChild(dir);
    children.push(srv);
    const stdout = await printed(srv, new RegExp(`Game ${b!.gameId} is damaged`));
    expect(stdout).toContain(`Game ${a!.gameId} is damaged in the store (command 0 is not valid JSON)`);
    expect(stdout).toContain(`Game ${b!.gameId} is damaged in the store (its header is not valid JSON)`);
    // The healthy room is back; the damaged ones are closed (not live) but still listed.
    const t = await client(srv.url);
    ok(await call(t, 'teacher:resume', { roomCode: c!.roomCode, teacherToken: c!.teacherToken }));
    const gone = await call(t, 'teacher:resume', { roomCode: a!.roomCode, teacherToken: a!.teacherToken });
    expect(!gone.ok && gone.error.code).toBe('unknown-room');
    const games = (await (await fetch(`${srv.url}/api/games`)).json()) as { gameId: string; live: boolean }[];
    expect(games.find((g) => g.gameId === a!.gameId)!.live).toBe(false);
    expect(games.find((g) => g.gameId === c!.gameId)!.live).toBe(true);
    t.close();
    await stopChild(srv.child);
  });

  it('refuses a garbage file with one line: the path, what is wrong, what to do', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'lemonscale.db');
    fs.writeFileSync(file, Buffer.alloc(8192, 'this is not a database '));
    expectOneReadableLine(await failedStart(dir), file, /not a SQLite database.*Move the file aside/);
  });

  it('refuses a database file cut in half', async () => {
    const dir = tempDir();
    await threeRooms(dir);
    const file = path.join(dir, 'lemonscale.db');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectOneReadableLine(await failedStart(dir), file, /damaged|integrity|not a SQLite/);
  });

  it('refuses a file it cannot open, and a DATA_DIR that is not a folder', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'lemonscale.db'));
    expectOneReadableLine(
      await failedStart(dir),
      path.join(dir, 'lemonscale.db'),
      /cannot be opened.*DATA_DIR/,
    );
    const notADir = path.join(tempDir(), 'a-file');
    fs.writeFileSync(notADir, 'x');
    expectOneReadableLine(await failedStart(notADir), notADir, /folder cannot be made/);
  });

  it('says so when it starts on a 0-byte file', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'lemonscale.db'), '');
    const srv = await startChild(dir);
    children.push(srv);
    await printed(srv, /empty \(0 bytes\)/);
    await stopChild(srv.child);
  });

  it('warns when the write-ahead log left by a crash is truncated', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'lemonscale.db');
    // A server that dies with its WAL not yet checkpointed: copy the files while the writer is still open.
    const live = tempDir();
    const store = new SqliteStore(live);
    const writer = new Database(path.join(live, 'lemonscale.db'));
    writer.pragma('wal_autocheckpoint = 0');
    store.createGame(game('aaaaaaaaaaaaaaaa'));
    for (let i = 0; i < 30; i++) store.appendCommands('aaaaaaaaaaaaaaaa', i, [stand(i)]);
    fs.copyFileSync(path.join(live, 'lemonscale.db'), file);
    const wal = fs.readFileSync(path.join(live, 'lemonscale.db-wal'));
    fs.writeFileSync(`${file}-wal`, wal.subarray(0, Math.floor(wal.length / 2)));
    writer.close();
    store.close();
    const srv = await startChild(dir);
    children.push(srv);
    await printed(srv, /write-ahead log looks damaged \(the write-ahead log is truncated/);
    await stopChild(srv.child);
  });
});
