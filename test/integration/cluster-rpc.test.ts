import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { OwnerRpc, OwnerUnavailableError, ownerUnavailableAck } from '../../server/cluster/owner-rpc.ts';
import { TEST_REDIS_URL, testServices, type TestServices } from './cluster-services.ts';

// A command forwarded from the process holding a student's socket to the room's owner, over Redis.

let s: TestServices;
const connections: Redis[] = [];
const rpcs: OwnerRpc[] = [];

function node(nodeId: string): OwnerRpc {
  const pub = new Redis(TEST_REDIS_URL);
  const sub = new Redis(TEST_REDIS_URL);
  connections.push(pub, sub);
  const r = new OwnerRpc(pub, sub, nodeId, s.prefix);
  rpcs.push(r);
  return r;
}

beforeEach(async () => {
  s = await testServices();
});
afterEach(async () => {
  for (const r of rpcs.splice(0)) await r.close();
  for (const c of connections.splice(0)) c.disconnect();
  await s.close();
});

describe('forwarding to the owner', () => {
  it("relays the owner's answer, each to its own caller, and the owner's refusal", async () => {
    const owner = node('owner');
    const front = node('front');
    const seen: unknown[] = [];
    await owner.start(async (gameId, payload) => {
      seen.push([gameId, payload]);
      if ((payload as { n: number }).n < 0) throw new Error('negative');
      return { ok: true, tick: 100 + (payload as { n: number }).n };
    });
    await front.start(() => Promise.reject(new Error('front owns nothing')));
    const answers = await Promise.all([1, 2, 3].map((n) => front.call('owner', 'game-1', { n }, 2000)));
    expect(answers).toEqual([
      { ok: true, tick: 101 },
      { ok: true, tick: 102 },
      { ok: true, tick: 103 },
    ]);
    expect(seen).toHaveLength(3);
    await expect(front.call('owner', 'game-1', { n: -1 }, 2000)).rejects.toThrow('negative');
  });

  it('an owner that is gone or silent gives a clear retryable error within the timeout, never silence', async () => {
    const front = node('front');
    await front.start(() => Promise.resolve(null));
    // Nobody listens for "dead": refused at once.
    const started = Date.now();
    const gone = await front.call('dead', 'g', {}, 5000).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OwnerUnavailableError);
    expect((gone as OwnerUnavailableError).why).toBe('no-listener');
    expect(Date.now() - started).toBeLessThan(1000);
    // An owner that listens but never answers (frozen, overloaded): the timeout.
    const frozen = node('frozen');
    await frozen.start(() => new Promise(() => undefined));
    const silent = await front.call('frozen', 'g', {}, 300).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(OwnerUnavailableError);
    expect((silent as OwnerUnavailableError).why).toBe('timeout');
    expect(ownerUnavailableAck(silent as OwnerUnavailableError)).toMatchObject({ code: 'owner-unavailable' });
  });
});
