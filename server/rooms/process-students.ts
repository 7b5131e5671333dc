/**
 * The students all rooms of one server process serve, as each room last said. A room's work that costs
 * per student but not per message (proofs, class-view rows) is budgeted per process from it: forty rooms of
 * fifty students then cost what one room of 2,000 does, where each room's own budget made them send ten
 * times the proofs and three times the class-view rows per student (docs/performance.md, seventh round).
 */

/**
 * A room that stops publishing (asleep: nobody there, nothing moving) stops counting this long after its
 * last report; a publishing room reports at least once a second (its heartbeat).
 */
const STALE_MS = 2000;

/** One per process (room-registry.ts), shared by its rooms; a room made alone has its own. */
export class ProcessStudents {
  private readonly rooms = new Map<object, { students: number; at: number }>();

  /** A room says how many of its students are connected now (its stream, as it sends proofs). */
  report(room: object, students: number, now: number): void {
    const r = this.rooms.get(room);
    if (r) {
      r.students = students;
      r.at = now;
    } else this.rooms.set(room, { students, at: now });
  }

  /** The room closed: its students no longer count. */
  release(room: object): void {
    this.rooms.delete(room);
  }

  /** The connected students of the rooms that reported in the last STALE_MS. */
  total(now: number): number {
    let n = 0;
    for (const r of this.rooms.values()) if (now - r.at <= STALE_MS) n += r.students;
    return n;
  }
}
