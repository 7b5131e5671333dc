/**
 * Counters of the tick stream for /health: snapshots cut (join, resume, resync) and resyncs (a browser
 * whose business left the stream: a hole, or a proof that disagreed). Resyncs should stay at zero.
 */
export class StreamMetrics {
  snapshots = 0;
  resyncs = 0;
  /** Resyncs by reason (gap, mismatch, error). */
  readonly resyncReasons: Record<string, number> = {};

  resynced(reason: string): void {
    this.resyncs++;
    this.resyncReasons[reason] = (this.resyncReasons[reason] ?? 0) + 1;
  }
}
