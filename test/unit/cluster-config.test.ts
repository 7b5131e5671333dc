import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS, loadConfig } from '../../server/config.ts';

describe('cluster configuration', () => {
  it('is off unless both REDIS_URL and DATABASE_URL are set (the default needs neither server)', () => {
    expect(loadConfig({}, []).cluster).toBeNull();
    expect(loadConfig({ REDIS_URL: '', DATABASE_URL: '' }, []).cluster).toBeNull();
  });

  it('both set: cluster mode, with the default lease or LEASE_MS', () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://postgres@127.0.0.1/test' };
    expect(loadConfig(env, []).cluster).toEqual({
      ...{ redisUrl: env.REDIS_URL, databaseUrl: env.DATABASE_URL },
      leaseMs: DEFAULT_LEASE_MS,
      nodeId: `${os.hostname()}-${process.pid}`,
      keyPrefix: 'lemonscale:',
    });
    expect(loadConfig({ ...env, LEASE_MS: '800' }, []).cluster!.leaseMs).toBe(800);
    const named = loadConfig({ ...env, NODE_ID: 'n2', KEY_PREFIX: 'k:' }, []).cluster!;
    expect([named.nodeId, named.keyPrefix]).toEqual(['n2', 'k:']);
    expect(() => loadConfig({ ...env, NODE_ID: 'a|b' }, [])).toThrow(/NODE_ID/);
  });

  it('half a configuration or a wrong scheme stops the start with the variable named', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://x' }, [])).toThrow(/only REDIS_URL is set/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' }, [])).toThrow(/only DATABASE_URL is set/);
    expect(() => loadConfig({ REDIS_URL: 'http://x', DATABASE_URL: 'postgres://x' }, [])).toThrow(
      /REDIS_URL must/,
    );
    expect(() => loadConfig({ REDIS_URL: 'redis://x', DATABASE_URL: 'mysql://x' }, [])).toThrow(
      /DATABASE_URL must/,
    );
    expect(() =>
      loadConfig({ REDIS_URL: 'redis://x', DATABASE_URL: 'postgres://x', LEASE_MS: '50' }, []),
    ).toThrow(/LEASE_MS/);
  });

  it('behind a balancer (BALANCER_HOST + BALANCER_PORT, as npm run cluster sets them): both or neither', () => {
    expect(loadConfig({}, []).balancer).toBeNull();
    expect(loadConfig({ BALANCER_HOST: '0.0.0.0', BALANCER_PORT: '3000' }, []).balancer).toEqual({
      host: '0.0.0.0',
      port: 3000,
    });
    expect(() => loadConfig({ BALANCER_HOST: '0.0.0.0' }, [])).toThrow(/only BALANCER_HOST is set/);
    expect(() => loadConfig({ BALANCER_HOST: '0.0.0.0', BALANCER_PORT: '70000' }, [])).toThrow(
      /BALANCER_PORT/,
    );
  });
});
