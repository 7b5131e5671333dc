/**
 * How many proofs a second one server process sends, shared by all of its rooms. A proof (a student's
 * rank and business hash, docs/tick-stream.md) is a safety net: a hole in the stream is seen at once
 * without it. Its cost is per student, a hash of one business and one personal write, so the budget is
 * per process: forty rooms of fifty students cost what one room of 2,000 does (each room's own budget made
 * them send 2,000 a second against the big room's 200).
 */
export const PROOFS_PER_SECOND = 200;
/** Each student's proof comes at most this often (the ceiling)... */
export const PROOF_INTERVAL_MS = 1000;
/** ...and at least this often, however many students the process serves. */
export const MAX_PROOF_INTERVAL_MS = 10_000;

/**
 * A room that stops publishing (asleep: nobody there, nothing moving) stops counting this long after its
 * last report; a publishing room reports at least once a second (its heartbeat).
 */
const STALE_MS = 2000;

/** The students each room serves; every room of a process shares one budget (room-registry.ts). */
export class ProofBudget {
  private readonly rooms = new Map<object, { students: number; at: number }>();

  /** A room says how many of its students get proofs now (called as it sends them). */
  report(room: object, students: number, now: number): void {
    const r = this.rooms.get(room);
    if (r) {
      r.students = students;
      r.at = now;
    } else this.rooms.set(room, { students, at: now });
  }

  /** The room closed: its students no longer share the budget. */
  release(room: object): void {
    this.rooms.delete(room);
  }

  /** How often each student gets a proof: once a second, less often when the process serves many. */
  intervalMs(now: number): number {
    let total = 0;
    for (const r of this.rooms.values()) if (now - r.at <= STALE_MS) total += r.students;
    const spread = (total / PROOFS_PER_SECOND) * 1000;
    return Math.min(MAX_PROOF_INTERVAL_MS, Math.max(PROOF_INTERVAL_MS, spread));
  }
}
