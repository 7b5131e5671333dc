import type { Logger } from './logging.ts';
import { StoreWriteError } from './storage/store-errors.ts';

/**
 * The last line of defence for a server that runs many classes in one process. What is safe:
 * - an unhandled promise rejection: the promise already settled, nothing is half-done in the caller's
 *   frame; it is logged and the server goes on;
 * - an uncaught exception: every write to the store is one SQLite transaction (durable state is never
 *   half-written), and requests and socket events are each handled to completion in their own callback,
 *   so one that throws leaves other rooms untouched. It is logged and the server goes on.
 * What is not: a stream of them means the process itself is broken (out of memory, a native fault, a
 * corrupt module), where carrying on would only hide it. More than `maxPerMinute` uncaught exceptions in a
 * minute exit with status 1 so a supervisor restarts a clean process (rooms come back from the store).
 * Store write failures (a full disk: every room's snapshot fails) are known faults and never count.
 * A room whose own state a throw may have left half-updated is the room core's to close (see docs/server.md).
 */
/** The part of `process` the guard uses (tests pass an EventEmitter). */
export interface GuardedProcess {
  on(event: 'uncaughtException', fn: (err: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', fn: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', fn: (err: Error, origin: string) => void): unknown;
  off(event: 'unhandledRejection', fn: (reason: unknown) => void): unknown;
  exit(code: number): void;
}

export function installProcessGuard(
  logger: Logger,
  opts: { maxPerMinute?: number; now?: () => number; proc?: GuardedProcess } = {},
): () => void {
  const { maxPerMinute = 10, now = () => Date.now(), proc = process } = opts;
  const recent: number[] = [];
  const onException = (err: Error, origin: string): void => {
    // A store write refused on a full disk or a vanished file is a known fault with nothing half-written
    // (its transaction rolled back): it says nothing about the process, so it never counts toward exiting.
    if (err instanceof StoreWriteError) {
      logger.error(
        { err, origin, fault: err.fault },
        'a store write failed outside any handler; the server keeps running',
      );
      return;
    }
    const t = now();
    recent.push(t);
    while (recent.length > 0 && recent[0]! < t - 60_000) recent.shift();
    if (recent.length > maxPerMinute) {
      logger.fatal({ err, origin, perMinute: recent.length }, 'uncaught exceptions keep coming; exiting');
      proc.exit(1);
      return;
    }
    logger.error({ err, origin }, 'uncaught exception; the server keeps running');
  };
  const onRejection = (reason: unknown): void => {
    logger.error({ err: reason }, 'unhandled promise rejection; the server keeps running');
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
