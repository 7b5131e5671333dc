import type { Logger } from '../logging.ts';
import type { GameDeletion } from './store.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How often the sweep runs, the first one this long after start (GameRetention.start). */
export const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** Games deleted per step (their rows, players and checkpoints: one short transaction). */
const GAMES_PER_STEP = 20;
/**
 * Rows of deleted games' logs removed per step: a few milliseconds of SQLite's time, so a sweep of many
 * long games never holds the event loop long (the rooms tick every 100 ms).
 */
const LOG_ROWS_PER_STEP = 2000;
/** Games from before the stamps stamped per step (PostgreSQL: one short UPDATE). */
const STAMPS_PER_STEP = 1000;

export interface RetentionDeps {
  store: GameDeletion;
  /** Games kept whatever their age: rooms open in this process, writes on their way to the store. */
  open: () => ReadonlySet<string>;
  /** Wall-clock milliseconds since 1970 (tests pass a fake clock). */
  now: () => number;
  logger: Logger;
  /** The games just deleted (the ended-log cache forgets them). */
  onDeleted: (gameIds: readonly string[]) => void;
}

/** Lets the event loop run what waits (ticks, acknowledgements) between two steps of a sweep. */
const breather = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * GAME_RETENTION_DAYS: a game not open in any room and not written for that many days (an ended game: its
 * end, or its room's close an hour later; an abandoned one: its last snapshot) is deleted with everything
 * the store keeps of it. The sweep runs every SWEEP_EVERY_MS from an hour after start (its timer
 * unref'd), in steps with the event loop free between them. A deleted game leaves a tombstone for as long again, so
 * its links answer "deleted" rather than "no such game". In a cluster every process sweeps; the
 * PostgreSQL store makes sweeps that run together safe (PostgresStore.deleteStaleGames).
 */
export class GameRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    readonly days: number,
    private readonly deps: RetentionDeps,
  ) {}

  /**
   * The first sweep runs SWEEP_EVERY_MS after start, never at start: the first start after an upgrade (or
   * after GAME_RETENTION_DAYS was lowered) says how many games that sweep will delete and when, and an
   * operator has the time to set GAME_RETENTION_DAYS=keep and restart. Then one sweep every SWEEP_EVERY_MS.
   * Resolves once that is said (a store that cannot count now is warned about, never fatal).
   */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
    const { logger, store } = this.deps;
    const days = this.days;
    const firstSweepAt = this.deps.now() + SWEEP_EVERY_MS;
    const at = `${new Date(firstSweepAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    try {
      const due = await store.countStaleGames(firstSweepAt - days * DAY_MS);
      const fields = {
        retentionDays: days,
        gamesDue: due,
        firstSweepAt: new Date(firstSweepAt).toISOString(),
      };
      if (due > 0)
        logger.warn(
          fields,
          `${due} game${due === 1 ? '' : 's'} not played for ${days} days will be deleted from ${at} ` +
            `(GAME_RETENTION_DAYS); set GAME_RETENTION_DAYS=keep and restart before then to keep them`,
        );
      else
        logger.info(
          fields,
          `games not played for ${days} days are deleted, hourly from ${at} (GAME_RETENTION_DAYS)`,
        );
    } catch (e) {
      logger.warn({ err: e }, 'could not count the games due for deletion; the first sweep runs in an hour');
    }
  }

  /** One sweep (one asked for while one runs joins it); resolves with the number of games deleted. */
  sweep(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** No sweep after this; resolves once the one running (if any) has stopped between two steps. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async run(): Promise<number> {
    const { store, logger } = this.deps;
    let deleted = 0;
    try {
      const before = this.deps.now() - this.days * DAY_MS;
      await store.prepareSweep?.();
      // Games from before the stamps get theirs first: until then they are not swept.
      if (store.fillWriteStamps)
        while (!this.stopped && (await store.fillWriteStamps(STAMPS_PER_STEP)) === STAMPS_PER_STEP)
          await breather();
      // Leftovers of a sweep that stopped half way (the process stopped) go first.
      await this.purge();
      while (!this.stopped) {
        const ids = await store.deleteStaleGames(before, this.deps.open(), GAMES_PER_STEP);
        if (ids.length === 0) break;
        deleted += ids.length;
        this.deps.onDeleted(ids);
        await this.purge();
        await breather();
      }
      if (!this.stopped) await store.forgetDeletedBefore(before);
    } catch (e) {
      // A store that cannot delete now (a full disk, PostgreSQL away) is tried again at the next sweep.
      logger.warn({ err: e, deleted }, 'the retention sweep stopped early; it runs again later');
    }
    if (deleted > 0)
      logger.info(
        { games: deleted, retentionDays: this.days },
        `deleted ${deleted} game${deleted === 1 ? '' : 's'} not played for ${this.days} days`,
      );
    return deleted;
  }

  /** Deleted games' log rows, a step at a time, until none are left (or the server stops). */
  private async purge(): Promise<void> {
    while (!this.stopped && (await this.deps.store.purgeDeleted(LOG_ROWS_PER_STEP)) === LOG_ROWS_PER_STEP)
      await breather();
  }
}

/**
 * What a link to a deleted game answers, in words: when it went, and how long this server keeps games
 * (GAME_RETENTION_DAYS; null when it keeps them forever now, the game having gone under an earlier one).
 */
export function deletedGameMessage(deletedAt: number, days: number | null): string {
  // The server's date, said with its zone: the reader's own date may be a day either side.
  const on = new Date(deletedAt).toISOString().slice(0, 10);
  const why =
    days === null
      ? ''
      : `: this server keeps a game ${days} day${days === 1 ? '' : 's'} after it was last played`;
  return `This game was deleted on ${on} (UTC)${why}.`;
}
