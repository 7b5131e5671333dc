/** One business's counters, as the class view's leaderboard carries them. */
export interface FlowRow {
  id: string;
  served: number;
  lost: { total: number };
}

/**
 * The class's served and lost customers per second, from two samples of the leaderboard. Only
 * businesses present in both samples count, so a student who is removed (or joins late) never turns
 * into a negative rate or a spike: the class totals would drop by their whole history.
 */
export class ClassFlow {
  private prev: { t: number; rows: Map<string, { served: number; lost: number }> } | null = null;

  /** Rates since the previous sample, or null for the first one (or when the clock has not moved). */
  sample(t: number, rows: readonly FlowRow[]): [served: number, lost: number] | null {
    const now = new Map(rows.map((r) => [r.id, { served: r.served, lost: r.lost.total }]));
    const prev = this.prev;
    if (prev && t <= prev.t) return null;
    this.prev = { t, rows: now };
    if (!prev) return null;
    let served = 0;
    let lost = 0;
    for (const [id, n] of now) {
      const p = prev.rows.get(id);
      if (!p) continue;
      served += Math.max(0, n.served - p.served);
      lost += Math.max(0, n.lost - p.lost);
    }
    const dt = t - prev.t;
    return [served / dt, lost / dt];
  }
}
