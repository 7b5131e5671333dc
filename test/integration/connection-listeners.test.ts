import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { closeAll, createRoom, joinStudents, testServer } from './helpers.ts';

/**
 * What a connection holds of ours for its events (docs/performance.md, "Memory per connected student"):
 * one catch-all listener shared by every connection, and no listener per event; a listener per event
 * and connection cost about 1.8 KB of heap per student.
 */
describe('listeners a connection holds', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  it('is the same catch-all for every connection, teacher or student, and nothing per event', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const students = await joinStudents(srv.url, roomCode, 3);
    const sockets = [...srv.io.of('/').sockets.values()];
    expect(sockets).toHaveLength(4);
    const shared = sockets[0]!.listenersAny();
    expect(shared).toHaveLength(1);
    for (const s of sockets) {
      expect(s.listenersAny()).toEqual(shared);
      // Only the connection's own lifecycle: every event it sends goes through the catch-all.
      expect(s.eventNames().sort()).toEqual(['disconnect', 'error']);
    }
    closeAll([teacher], students);
  });
});
