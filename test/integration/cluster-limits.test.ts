import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { DEFAULT_CONFIG } from '../../server/config.ts';
import { Limits, takePoint } from '../../server/sockets/limits.ts';
import { clusterLimiters } from '../../server/cluster/shared-limiters.ts';
import { testServices, type TestServices } from './cluster-services.ts';

// Join, room-creation and log-read limits hold across processes (counted in Redis); command limits stay local.

const config = { ...DEFAULT_CONFIG, joinAttemptsPerMinute: 4, roomsPerMinute: 2, commandsPerSecond: 2 };
let s: TestServices;

beforeEach(async () => {
  s = await testServices();
});
afterEach(async () => {
  await s.close();
});

describe('limits shared by the cluster', () => {
  it('join attempts and room creation count across two processes; command limits per process', async () => {
    const a = new Limits(config, clusterLimiters(s.redis, `${s.prefix}limit:`));
    const b = new Limits(config, clusterLimiters(s.redis, `${s.prefix}limit:`));
    const k = { device: 'device-1', addr: '10.0.0.1' };
    expect(await a.attempt(k)).toBe(true);
    expect(await b.attempt(k)).toBe(true);
    expect(await a.attempt(k)).toBe(true);
    expect(await b.attempt(k)).toBe(true);
    // The fifth attempt within the minute is refused wherever it lands.
    expect(await a.attempt(k)).toBe(false);
    expect(await b.attempt(k)).toBe(false);
    expect(await b.attempt({ device: 'device-2', addr: '10.0.0.1' })).toBe(true);
    expect(await a.createRoom('10.0.0.9')).toBe(true);
    expect(await b.createRoom('10.0.0.9')).toBe(true);
    expect(await a.createRoom('10.0.0.9')).toBe(false);
    // Commands: each process has its own budget of 2 per second.
    for (const l of [a, b]) {
      expect(await l.command('player')).toBe(true);
      expect(await l.command('player')).toBe(true);
      expect(await l.command('player')).toBe(false);
    }
  });

  it('game logs read from the store count across processes (the /log limiter)', async () => {
    // As server/http/app.ts makes it, once in each of two processes.
    const opts = { keyPrefix: 'log-read', points: 3, duration: 60 };
    const a = clusterLimiters(s.redis, `${s.prefix}limit:`)(opts);
    const b = clusterLimiters(s.redis, `${s.prefix}limit:`)(opts);
    expect(await takePoint(a, '203.0.113.5')).toBe(true);
    expect(await takePoint(b, '203.0.113.5')).toBe(true);
    expect(await takePoint(a, '203.0.113.5')).toBe(true);
    expect(await takePoint(b, '203.0.113.5')).toBe(false);
    expect(await takePoint(a, '203.0.113.5')).toBe(false);
    expect(await takePoint(b, '203.0.113.6')).toBe(true);
  });

  it('with Redis unreachable a process keeps limiting on its own instead of failing joins', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    const l = new Limits(config, clusterLimiters(dead, `${s.prefix}limit:`));
    const k = { device: 'device-1', addr: '10.0.0.1' };
    for (let i = 0; i < 4; i++) expect(await l.attempt(k)).toBe(true);
    expect(await l.attempt(k)).toBe(false);
    dead.disconnect();
  });
});
