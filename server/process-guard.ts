import type { Logger } from './logging.ts';

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
 * A room whose own state a throw may have left half-updated is the room core's to close (see docs/server.md).
 */
export function installProcessGuard(logger: Logger, maxPerMinute = 10, now = () => Date.now()): () => void {
  const recent: number[] = [];
  const onException = (err: Error, origin: string): void => {
    const t = now();
    recent.push(t);
    while (recent.length > 0 && recent[0]! < t - 60_000) recent.shift();
    if (recent.length > maxPerMinute) {
      logger.fatal({ err, origin, perMinute: recent.length }, 'uncaught exceptions keep coming; exiting');
      process.exit(1);
    }
    logger.error({ err, origin }, 'uncaught exception; the server keeps running');
  };
  const onRejection = (reason: unknown): void => {
    logger.error({ err: reason }, 'unhandled promise rejection; the server keeps running');
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
