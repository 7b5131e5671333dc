import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ServerConfig } from '../config.ts';

/**
 * Abuse limits. Commands are limited per connection. Attempts that name a room (join, resume, watch)
 * are limited per address, and failed ones (a wrong room code or token) much more tightly, so that room
 * codes cannot be guessed: a class behind one school address joins freely, a script guessing codes is
 * blocked after a few misses.
 */
export class Limits {
  private readonly commands: RateLimiterMemory;
  private readonly attempts: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;
  private readonly creates: RateLimiterMemory;
  private readonly resyncs: RateLimiterMemory;
  private readonly maxFailures: number;

  constructor(config: ServerConfig) {
    this.commands = new RateLimiterMemory({ points: config.commandsPerSecond, duration: 1 });
    this.attempts = new RateLimiterMemory({ points: config.joinAttemptsPerMinute, duration: 60 });
    this.failures = new RateLimiterMemory({
      points: config.failedJoinsPerMinute,
      duration: 60,
      blockDuration: 60,
    });
    this.creates = new RateLimiterMemory({ points: config.roomsPerMinute, duration: 60 });
    // A snapshot costs the server a whole business to encode: a browser needs one now and then, not a flood.
    this.resyncs = new RateLimiterMemory({ points: config.resyncsPerMinute, duration: 60 });
    this.maxFailures = config.failedJoinsPerMinute;
  }

  private static async take(limiter: RateLimiterMemory, key: string): Promise<boolean> {
    try {
      await limiter.consume(key);
      return true;
    } catch (e) {
      if (e instanceof RateLimiterRes) return false;
      throw e;
    }
  }

  /** One command from a connection (the key is the connection itself: the limit is per socket). */
  command(connectionKey: string): Promise<boolean> {
    return Limits.take(this.commands, connectionKey);
  }

  /** An attempt to name a room from this address; false when the address must wait. */
  async attempt(addr: string): Promise<boolean> {
    const failed = await this.failures.get(addr);
    if (failed && failed.consumedPoints >= this.maxFailures) return false;
    return Limits.take(this.attempts, addr);
  }

  /** A wrong room code or token from this address. */
  async failed(addr: string): Promise<void> {
    await Limits.take(this.failures, addr);
  }

  /** A snapshot asked for by a connection (keyed by the connection, as commands are). */
  resync(connectionKey: string): Promise<boolean> {
    return Limits.take(this.resyncs, connectionKey);
  }

  createRoom(addr: string): Promise<boolean> {
    return Limits.take(this.creates, addr);
  }
}
