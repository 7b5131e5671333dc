import type { Redis } from 'ioredis';

/** A room held by this process: the token that proves it in Redis, and the fencing number it writes under. */
export interface HeldLease {
  gameId: string;
  epoch: number;
  /** `${nodeId}|${epoch}`: what the owner key holds while this lease lasts. */
  token: string;
}

// Takes the lease if nobody holds it: a new epoch, never below `floor` (the fence PostgreSQL already
// holds, since Redis keeps nothing on disk and a restarted Redis would count from 0 again), then the
// owner key with its expiry. One script, so two processes can never both see the key free.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local e = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if e <= floor then e = floor + 1; redis.call('SET', KEYS[2], e) end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. e, 'PX', ARGV[2])
return e`;

// Extends the lease only if this very lease (node and epoch) still holds the key.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Room ownership in Redis: one owner key per room, with an expiry the owner keeps pushing back, and a
 * fencing number (epoch) that grows with every new owner. The lease alone cannot stop a process that
 * was paused past its expiry from writing once it wakes: that is what the epoch is for, checked by
 * PostgreSQL in the same transaction as every append (AppendBatch). The lease decides who should tick
 * a room; the fence decides whose writes count.
 */
export class RoomLeases {
  constructor(
    private readonly redis: Redis,
    readonly nodeId: string,
    readonly leaseMs: number,
    /** Namespace of the keys (tests use their own). */
    private readonly prefix = 'lemonscale:',
  ) {
    if (nodeId.includes('|')) throw new Error(`a node id may not contain "|": ${nodeId}`);
  }

  ownerKey(gameId: string): string {
    return `${this.prefix}room:{${gameId}}:owner`;
  }

  private epochKey(gameId: string): string {
    return `${this.prefix}room:{${gameId}}:epoch`;
  }

  /** The lease, if nobody holds it; `floor` is the game's fence in PostgreSQL (the epoch must pass it). */
  async acquire(gameId: string, floor: number): Promise<HeldLease | null> {
    const e = (await this.redis.eval(
      ACQUIRE,
      2,
      this.ownerKey(gameId),
      this.epochKey(gameId),
      this.nodeId,
      this.leaseMs,
      floor,
    )) as number | null;
    if (e === null) return null;
    return { gameId, epoch: e, token: `${this.nodeId}|${e}` };
  }

  /** Pushes the expiry back; false once the lease was lost (expired, or taken by a newer owner). */
  async renew(lease: HeldLease): Promise<boolean> {
    const r = (await this.redis.eval(
      RENEW,
      1,
      this.ownerKey(lease.gameId),
      lease.token,
      this.leaseMs,
    )) as number;
    return r === 1;
  }

  private releasedChannel(): string {
    return `${this.prefix}lease-released`;
  }

  /**
   * Gives the room up at once (a clean stop), so another process need not wait for the expiry, and tells
   * the processes watching (watchReleases) so that one takes it now rather than at its next look.
   */
  async release(lease: HeldLease): Promise<void> {
    const r = await this.redis.eval(RELEASE, 1, this.ownerKey(lease.gameId), lease.token);
    if (r === 1) await this.redis.publish(this.releasedChannel(), lease.gameId).catch(() => undefined);
  }

  /**
   * Calls `onReleased` with the game id of every lease given back by any process (release), on a
   * connection of its own (a subscribed connection can run no other command); it resubscribes by itself
   * after Redis comes back. Resolves once subscribed, with the function that ends the watch.
   */
  async watchReleases(onReleased: (gameId: string) => void): Promise<() => void> {
    const sub = this.redis.duplicate();
    // Unreachable Redis: ioredis reconnects by itself; the takeover watch's looks cover the meantime.
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, gameId: string) => onReleased(gameId));
    try {
      await sub.subscribe(this.releasedChannel());
    } catch (e) {
      sub.disconnect();
      throw e;
    }
    return () => sub.disconnect();
  }

  /** Who holds the room now (`node|epoch`), or null: for the forwarding of commands and for tests. */
  async holder(gameId: string): Promise<{ nodeId: string; epoch: number } | null> {
    return parseHolder(await this.redis.get(this.ownerKey(gameId)));
  }

  /**
   * The holders of many rooms in one round trip (a pipeline: the keys may sit in different slots), each
   * with the milliseconds its lease has left unless renewed (PTTL): a process watching for rooms to take
   * over tries again the moment a lapsing lease expires instead of at its next look.
   */
  async holders(gameIds: readonly string[]): Promise<(LeaseHolder | null)[]> {
    if (gameIds.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const id of gameIds) pipe.get(this.ownerKey(id)).pttl(this.ownerKey(id));
    const replies = (await pipe.exec()) ?? [];
    return gameIds.map((_, i) => {
      const [err, v] = replies[2 * i] ?? [new Error('no reply'), null];
      const [err2, ttl] = replies[2 * i + 1] ?? [new Error('no reply'), null];
      if (err) throw err;
      if (err2) throw err2;
      const h = parseHolder(v as string | null);
      // PTTL is -2 once the key is gone (between the two reads), -1 without an expiry (never here).
      return h && { ...h, msLeft: Math.max(0, Number(ttl)) };
    });
  }
}

/** Who holds a room, and how long the lease lasts unless renewed. */
export interface LeaseHolder {
  nodeId: string;
  epoch: number;
  msLeft: number;
}

function parseHolder(v: string | null): { nodeId: string; epoch: number } | null {
  if (v === null) return null;
  const bar = v.lastIndexOf('|');
  return { nodeId: v.slice(0, bar), epoch: Number(v.slice(bar + 1)) };
}
