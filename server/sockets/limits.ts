import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ServerConfig } from '../config.ts';

/** What Limits asks of a limiter (rate-limiter-flexible's memory or Redis limiters). */
export type Limiter = Pick<RateLimiterAbstract, 'consume' | 'reward'>;

/** Makes one limiter. The default keeps counts in this process; cluster mode passes RateLimiterRedis. */
export type LimiterFactory = (opts: {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
}) => Limiter;

export const memoryLimiters: LimiterFactory = (opts) => new RateLimiterMemory(opts);

/** One point of `key`'s budget: true if there was one; false when it is spent (any other failure throws). */
export async function takePoint(limiter: Limiter, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    if (e instanceof RateLimiterRes) return false;
    throw e;
  }
}

/** Who is making an attempt: the device (an id the client makes and keeps; the address when it sends none) and the address. */
export interface AttemptKeys {
  device: string;
  addr: string;
}

/**
 * Abuse limits. A whole class often shares one school address, so attempts that name a room (join,
 * resume, watch) are counted per device, with a much larger budget for the address as a whole (a script
 * that makes up a new device id for every guess still meets it).
 *
 * A miss (a room code or token that is wrong) is counted before the lookup and handed back when the
 * attempt turns out right: consume and reward are atomic in every rate-limiter-flexible store (memory,
 * Redis), so pipelined guesses cannot all pass the check before the first miss is recorded, and a valid
 * resume never counts as a miss. Actions are limited per player (all their connections together), and
 * every event a connection sends, valid or not, counts toward its event budget.
 */
export class Limits {
  private readonly commands: Limiter;
  private readonly events: Limiter;
  private readonly attempts: Limiter;
  private readonly addrAttempts: Limiter;
  private readonly misses: Limiter;
  private readonly addrMisses: Limiter;
  private readonly creates: Limiter;
  private readonly resyncs: Limiter;
  readonly eventsPerSecond: number;

  constructor(config: ServerConfig, make: LimiterFactory = memoryLimiters) {
    this.commands = make({ keyPrefix: 'cmd', points: config.commandsPerSecond, duration: 1 });
    this.eventsPerSecond = config.eventsPerSecond;
    this.events = make({ keyPrefix: 'ev', points: config.eventsPerSecond, duration: 1 });
    this.attempts = make({ keyPrefix: 'att', points: config.joinAttemptsPerMinute, duration: 60 });
    this.addrAttempts = make({
      keyPrefix: 'att-addr',
      points: config.addressAttemptsPerMinute,
      duration: 60,
    });
    this.misses = make({
      keyPrefix: 'miss',
      points: config.failedJoinsPerMinute,
      duration: 60,
      blockDuration: 60,
    });
    this.addrMisses = make({
      keyPrefix: 'miss-addr',
      points: config.addressFailedJoinsPerMinute,
      duration: 60,
      blockDuration: 60,
    });
    this.creates = make({ keyPrefix: 'create', points: config.roomsPerMinute, duration: 60 });
    // A snapshot costs the server a whole business to encode: a browser needs one now and then, not a flood.
    this.resyncs = make({ keyPrefix: 'resync', points: config.resyncsPerMinute, duration: 60 });
  }

  private static take(limiter: Limiter, key: string): Promise<boolean> {
    return takePoint(limiter, key);
  }

  /**
   * One action. The key is the player (or the teacher's room) when the connection has one, so that ten
   * connections of one student share one budget; otherwise the connection.
   */
  command(actorKey: string): Promise<boolean> {
    return Limits.take(this.commands, actorKey);
  }

  /**
   * Any event from a connection, before its payload is even read. Returns 'ok', 'refused' (answer it
   * rate-limited), or 'drop' when the connection keeps sending far past its budget (close it).
   */
  async event(connectionKey: string): Promise<'ok' | 'refused' | 'drop'> {
    try {
      await this.events.consume(connectionKey);
      return 'ok';
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return e.consumedPoints > 5 * this.eventsPerSecond ? 'drop' : 'refused';
    }
  }

  /**
   * An attempt to name a room, with a miss reserved in advance; false when this device or this address
   * must wait. Call hit() when the room (and token) turned out right.
   */
  async attempt(k: AttemptKeys): Promise<boolean> {
    return (
      (await Limits.take(this.attempts, k.device)) &&
      (await Limits.take(this.addrAttempts, k.addr)) &&
      (await Limits.take(this.misses, k.device)) &&
      (await Limits.take(this.addrMisses, k.addr))
    );
  }

  /** The attempt was right: hand back the miss reserved for it. */
  async hit(k: AttemptKeys): Promise<void> {
    await this.misses.reward(k.device, 1);
    await this.addrMisses.reward(k.addr, 1);
  }

  /** A snapshot asked for by a connection (keyed by the connection, as commands are). */
  resync(connectionKey: string): Promise<boolean> {
    return Limits.take(this.resyncs, connectionKey);
  }

  createRoom(addr: string): Promise<boolean> {
    return Limits.take(this.creates, addr);
  }
}
