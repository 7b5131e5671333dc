import type { PostgresStore } from '../storage/postgres-store.ts';
import type { HeldLease, RoomLeases } from './room-leases.ts';

/**
 * Taking a room, in the one order that is safe: read the game's fence, take the Redis lease with an epoch
 * past it, then raise the fence in PostgreSQL to that epoch, and only then read the log. After the claim
 * commits no older owner's append can commit (AppendBatch compares epochs under the row lock), so the log
 * read next is the whole of what was ever acknowledged. Null when another process holds the room, or
 * when a newer claim raced this one (the lease is given back at once).
 */
export async function takeRoom(
  leases: RoomLeases,
  store: PostgresStore,
  gameId: string,
): Promise<HeldLease | null> {
  const floor = await store.epochOf(gameId);
  if (floor === null) return null;
  const lease = await leases.acquire(gameId, floor);
  if (lease === null) return null;
  if (await store.claim(gameId, lease.epoch)) return lease;
  await leases.release(lease);
  return null;
}

/**
 * Renewals per lease period. The owner gives a room up when no renewal succeeded for a whole lease, so
 * it rides out a stall (an event loop held by a checkpoint encode, a fold, GC, or the process not being
 * scheduled on a busy machine) of up to a lease less one renewal interval: 1,000 ms at the default
 * 1,200 ms lease (as much as 1,500 ms renewed three times gave). A dead owner's lease lapses between
 * 1,000 and 1,200 ms after its last renewal, the longest a room waits for a new owner.
 */
export const RENEWALS_PER_LEASE = 6;

/**
 * How long PostgreSQL lets a transaction sit idle before ending it (idle_in_transaction_session_timeout).
 * An owner frozen mid-transaction (SIGSTOP, a long pause) holds its games' row locks, and the next
 * owner's claim would wait for them as long as it stays frozen. It froze at most one renewal interval
 * after its last renewal, and the next owner claims a lease after that renewal at the soonest, so ending
 * the transaction a lease less one renewal interval after it went idle never holds a claim up; and a live
 * owner stalled for less than that (its lease survives such a stall too) keeps its transaction. Half a
 * lease (600 ms) ended live owners' transactions in a loaded 2,000-student room.
 */
export function frozenTransactionTimeoutMs(leaseMs: number): number {
  return Math.max(100, leaseMs - Math.floor(leaseMs / RENEWALS_PER_LEASE));
}

/**
 * Keeps a held lease alive: renews it RENEWALS_PER_LEASE times per lease period, and reports it lost
 * when a renewal is refused (a newer owner) or when no renewal succeeded before the lease would have
 * expired (Redis unreachable, or this process was paused). From then on the room must stop ticking; any
 * append it still makes is refused by the fence.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private lastRenewed: number;
  private stopped = false;

  constructor(
    private readonly leases: RoomLeases,
    readonly lease: HeldLease,
    private readonly onLost: (why: 'taken' | 'expired') => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.lastRenewed = now();
    this.timer = setInterval(
      () => void this.renew(),
      Math.max(10, Math.floor(leases.leaseMs / RENEWALS_PER_LEASE)),
    );
  }

  private async renew(): Promise<void> {
    const asked = this.now();
    if (asked - this.lastRenewed >= this.leases.leaseMs) return this.lose('expired');
    let ok: boolean;
    try {
      ok = await this.leases.renew(this.lease);
    } catch {
      return; // Redis unreachable: try again next time, until the lease would have expired.
    }
    if (this.stopped) return;
    if (!ok) return this.lose('taken');
    // Renewals may answer out of order (a slow one overtaken): the lease runs from the latest asked.
    this.lastRenewed = Math.max(this.lastRenewed, asked);
  }

  private lose(why: 'taken' | 'expired'): void {
    if (this.stopped) return;
    this.stop();
    this.onLost(why);
  }

  /** Stops renewing (the room closed, or was lost); the caller releases the lease if it still can. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
