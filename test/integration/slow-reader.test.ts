import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, joinStudents, ok, testServer } from './helpers.ts';

/**
 * A client that never reads what the server sends but keeps the connection alive (it sends engine.io
 * pongs blindly): the server must not hold its unsent messages without bound.
 */
describe('a connection that never reads', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    // Join limits out of the way: the attack asks for the (reliable, ~15 KB) class view hundreds of times a
    // second so that the kernel's socket buffers fill within a second or two.
    srv = await testServer({
      tickIntervalMs: 20,
      eventsPerSecond: 100_000,
      joinAttemptsPerMinute: 1e9,
      failedJoinsPerMinute: 1e9,
      addressAttemptsPerMinute: 1e9,
      addressFailedJoinsPerMinute: 1e9,
      maxUnsentBytes: 256 * 1024,
    });
  });
  afterAll(() => srv.close());

  it('is cut once it holds more than MAX_UNSENT_BYTES; the room carries on', async () => {
    const { teacher, roomCode } = await createRoom(srv.url);
    const students = await joinStudents(srv.url, roomCode, 30);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    const before = srv.io.of('/').sockets.size;

    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    await new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve()); // engine.io's open packet
      ws.once('error', reject);
    });
    ws.send('40'); // connect to the main namespace
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    expect(srv.io.of('/').sockets.size).toBe(before + 1);
    // From now on nothing is read; pongs and requests for the (reliable) class view keep going out.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let id = 0;
    const pump = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send('3');
      for (let i = 0; i < 20; i++) ws.send(`42${id++}["projector:watch",{"roomCode":"${roomCode}"}]`);
    }, 50);
    try {
      const until = Date.now() + 30_000;
      while (srv.io.of('/').sockets.size > before && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(srv.io.of('/').sockets.size).toBe(before);
      expect(id).toBeGreaterThan(0);
    } finally {
      clearInterval(pump);
      ws.terminate();
    }
    // Everyone else is still served.
    ok(await call(students[0]!.socket, 'player:action', { type: 'buy', item: 'stand' }));
    closeAll(students, [teacher]);
  });
});
