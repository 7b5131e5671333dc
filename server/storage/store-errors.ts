/**
 * What can go wrong with the store, as types a caller can branch on (instanceof) rather than messages to
 * parse. Each message is one readable line: what, where, and what to do.
 */

/** The store cannot be opened: the server must not start on it. */
export class StoreOpenError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly remedy: string,
  ) {
    super(`Cannot open the game store ${file}: ${problem}. ${remedy}`);
    this.name = 'StoreOpenError';
  }
}

/**
 * Why a write was refused: the disk is full ('full'), the file or its folder vanished from under the
 * server ('gone'), the operating system reported an I/O error ('io'), or, in cluster mode, PostgreSQL
 * could not be reached or did not commit ('unreachable'). Nothing of the refused write was
 * kept (each write is one transaction), so the caller must not acknowledge what it was writing. 'full'
 * and 'io' may pass (free some space, then retry); 'gone' does not until the server restarts.
 */
export type StoreFault = 'full' | 'gone' | 'io' | 'unreachable';

export class StoreWriteError extends Error {
  constructor(
    readonly fault: StoreFault,
    message: string,
  ) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

/** A game's stored log cannot be read back (a row that is not valid JSON): only that game is affected. */
export class DamagedGameError extends Error {
  constructor(
    readonly gameId: string,
    readonly detail: string,
  ) {
    super(`Game ${gameId} is damaged in the store (${detail}); its room stays closed.`);
    this.name = 'DamagedGameError';
  }
}

/** A log append that does not continue the log where it ends (a gap, or a sequence number written twice). */
export class LogSequenceError extends Error {
  constructor(gameId: string, length: number, firstSeq: number) {
    super(`log of ${gameId} has ${length} entries, asked to append at ${firstSeq}`);
    this.name = 'LogSequenceError';
  }
}
