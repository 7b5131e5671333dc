import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { testServer } from './helpers.ts';

// A server stopping while a sweep step is under way (a long PostgreSQL delete) stops its rooms first: their
// last snapshots and lease releases do not wait for the step, only the store's closing does.

describe('stopping the server during a retention sweep', () => {
  let srv: RunningServer | undefined;
  afterAll(async () => {
    await srv?.close();
  });

  it('stops the rooms before waiting for the sweep step under way', async () => {
    const store = new MemoryStore();
    let finishStep!: (ids: string[]) => void;
    const step = new Promise<string[]>((resolve) => (finishStep = resolve));
    const deleting = vi.spyOn(store, 'deleteStaleGames').mockImplementation(() => step as never);
    srv = await testServer({ gameRetentionDays: 30 }, { store });
    const stopAll = vi.spyOn(srv.registry, 'stopAll');
    const sweep = srv.retention!.sweep();
    await vi.waitFor(() => expect(deleting).toHaveBeenCalled());
    const closed = srv.close();
    await vi.waitFor(() => expect(stopAll).toHaveBeenCalled());
    finishStep([]);
    await closed;
    expect(await sweep).toBe(0);
  });
});
