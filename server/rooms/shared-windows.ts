/**
 * Group-commit windows that close together for every room of the process. A room's student command
 * waits up to a window (ServerConfig groupCommitMs) for others to share its store write; when each
 * room timed its own window, 40 rooms closed theirs at 40 different moments, and each moment was a
 * store transaction of its own (one disk sync, SQLite's page writes, the acknowledgements in a turn of
 * their own): about one transaction per purchase at 40 x 50. Here the first window opened starts one
 * timer, and every window opened before it fires (in any room) closes with it: the rooms' pumps run in
 * one timer callback, so their writes meet in one turn and GroupCommitStore (or the cluster's
 * AppendBatch) makes them one transaction. No command waits longer than its window; most wait less.
 */
export class SharedWindows {
  /** The callbacks waiting for the open window of each length (only one length is used in practice). */
  private readonly open = new Map<number, (() => void)[]>();

  constructor(
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
    /**
     * A callback's error, once the others have run: by default thrown on its own, as that room's own
     * timer would have thrown it (the rooms' callbacks are guarded: RoomRuntime closes the room).
     */
    private readonly failed: (e: unknown) => void = (e) =>
      queueMicrotask(() => {
        throw e;
      }),
  ) {}

  /** Runs `fn` when the window of length `ms` that is open now closes (one is opened if none is). */
  after(fn: () => void, ms: number): void {
    const waiting = this.open.get(ms);
    if (waiting) {
      waiting.push(fn);
      return;
    }
    const mine = [fn];
    this.open.set(ms, mine);
    const timer = this.setTimer(() => {
      this.open.delete(ms);
      for (const f of mine) {
        // One room's failure must not leave the others' commands waiting: each callback runs.
        try {
          f();
        } catch (e) {
          this.failed(e);
        }
      }
    }, ms);
    // A window does not keep a stopping process alive (what waits in it is refused on close anyway).
    (timer as { unref?: () => void } | undefined)?.unref?.();
  }
}
