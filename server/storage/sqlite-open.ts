import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError } from './store-errors.ts';
import { inspectWal } from './wal-check.ts';

/** Where start-up notices go (the server's logger); the store itself does not log. */
export type StoreWarn = (details: object, message: string) => void;

const DAMAGED_REMEDY =
  'Move the file aside (the server then starts with an empty store) or restore it from a backup.';

/** A SQLite or file-system error at start-up as what is wrong and what to do, in words. */
function describe(e: unknown): [problem: string, remedy: string] {
  const code = String((e as { code?: unknown }).code ?? '');
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB')
    return ['it is not a SQLite database (damaged, or some other file)', DAMAGED_REMEDY];
  if (code.startsWith('SQLITE_CORRUPT')) return [`the database is damaged (${message})`, DAMAGED_REMEDY];
  if (code === 'SQLITE_FULL' || code === 'ENOSPC')
    return ['the disk is full', 'Free some space on its disk, then start the server again.'];
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS')
    return ['it is read-only', 'Let the user running the server write the file and its folder.'];
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'ENOTDIR' ||
    code === 'EISDIR'
  )
    return [
      `it cannot be opened (${code})`,
      'Check that DATA_DIR is a folder the user running the server can read and write.',
    ];
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return ['another process holds it locked', 'Stop the other server that uses this DATA_DIR.'];
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO')
    return [`the disk reported an I/O error (${code})`, `Check the disk. ${DAMAGED_REMEDY}`];
  return [message, 'See "Storage" in docs/server.md.'];
}

/**
 * Opens the store's SQLite file, or throws StoreOpenError with one readable line. Before opening: the
 * folder is made, a 0-byte file is reported (SQLite would quietly treat it as a new, empty database), and
 * the write-ahead log is checked for damage. After: the durability settings, then `PRAGMA quick_check`
 * (every page and index readable; measured in docs/server.md), then `setup` (the schema), so a damaged file stops the start instead of
 * failing later in the middle of a class.
 */
/**
 * FULL syncs the write-ahead log on every commit: an acknowledged command survives a power cut or an OS
 * crash (about 1.4 ms per commit on the development machine's disk; rooms commit once per tick with
 * commands, not per command). NORMAL syncs only at checkpoints: it survives kill -9 and process crashes but
 * a power cut may undo the last commits (about 0.07 ms). Measured by test/bench/store-bench.ts.
 */
export type Synchronous = 'FULL' | 'NORMAL';

export function openSqliteFile(
  dataDir: string,
  fileName: string,
  opts: { warn: StoreWarn; synchronous: Synchronous },
  setup: (db: Database.Database) => void,
): Database.Database {
  const { warn } = opts;
  const file = path.join(dataDir, fileName);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    const [problem, remedy] = describe(e);
    throw new StoreOpenError(file, `its folder cannot be made: ${problem}`, remedy);
  }
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size === 0)
    warn(
      { file },
      'the game store file is empty (0 bytes): starting a new store in it; if games were kept here, restore the file from a backup',
    );
  const walProblem = inspectWal(`${file}-wal`);
  if (walProblem)
    warn(
      { file, problem: walProblem },
      `the game store's write-ahead log looks damaged (${walProblem}); SQLite keeps every whole transaction before the damage, later acknowledged commands may be lost`,
    );
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const first = check[0]?.quick_check ?? 'no answer';
    if (first !== 'ok')
      throw new StoreOpenError(file, `the integrity check failed (${first})`, DAMAGED_REMEDY);
    setup(db);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof StoreOpenError) throw e;
    const [problem, remedy] = describe(e);
    throw new StoreOpenError(file, problem, remedy);
  }
}
