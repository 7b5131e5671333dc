import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, createRoom, ok, testServer, type ClientSocket } from './helpers.ts';

/**
 * Acknowledgements leave a websocket as ready frames (server/sockets/ready-acks.ts), not through
 * Engine.IO's packets; anything else (long-polling) gets them through Engine.IO. Either way the client
 * sees Socket.IO's acknowledgement: the reply, an error for bad input, every ack settled once.
 */
describe('acknowledgements as ready frames', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer();
  });
  afterAll(() => srv.close());

  /** A client, and how many messages its connection on the server sent through Engine.IO. */
  async function counted(transports: ('websocket' | 'polling')[]) {
    const c: ClientSocket = connect(srv.url, { transports, forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    const conn = srv.io.of('/').sockets.get(c.id!)!.conn;
    // Acknowledgements (Socket.IO packet type 3) that went through Engine.IO's packets.
    const engine = { acks: 0 };
    conn.on('packetCreate', (p: { type: string; data?: unknown }) => {
      if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith('3')) engine.acks++;
    });
    return { c, engine };
  }

  it.each([
    ['a websocket', ['websocket'] as const, false],
    ['long-polling', ['polling'] as const, true],
  ])('answer %s: the reply, and a clear error for bad input', async (_, transports, throughEngine) => {
    const { roomCode, teacher } = await createRoom(srv.url);
    const { c, engine } = await counted([...transports]);
    // Bad input: refused with a readable reason, and nothing changes (no player joined).
    const bad = await call(c, 'player:join', { roomCode, nickname: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(!bad.ok && bad.error.message).toMatch(/nickname/);
    // A purchase before joining: refused, as before.
    expect(await call(c, 'player:action', { type: 'buy', item: 'stand' })).toMatchObject({
      ok: false,
      error: { code: 'not-player' },
    });
    const joined = ok(await call(c, 'player:join', { roomCode, nickname: 'Ada' }));
    expect(joined).toMatchObject({ roomCode, returned: false });
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    // A malformed purchase is refused with a readable reason; a real one is answered with its tick.
    const malformed = await call(c, 'player:action', { type: 'buy', item: 'castle' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(!malformed.ok && malformed.error.message).toMatch(/item/);
    const bought = ok(await call(c, 'player:action', { type: 'buy', item: 'stand' }));
    expect(bought.tick).toBeGreaterThanOrEqual(0);
    // An unknown event with an acknowledgement is answered too (edge.ts), the same way.
    const none = await new Promise<unknown>((r) => (c.emit as (...a: unknown[]) => void)('no:such', {}, r));
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    // Six acknowledgements: all through Engine.IO on long-polling; on a websocket as ready frames, except
    // one that finds the connection busy (a write in flight on a loaded machine), which goes through
    // Engine.IO with its packet already encoded. The first ones, on a connection doing nothing else, are
    // frames: without ready acknowledgements all six would be Engine.IO's.
    if (throughEngine) expect(engine.acks).toBe(6);
    else expect(engine.acks).toBeLessThan(6);
    c.close();
    teacher.close();
  });

  it("a reply holding binary data goes Socket.IO's way, as a binary acknowledgement", async () => {
    const { c } = await counted(['websocket']);
    const received = new Promise<unknown[]>((resolve) =>
      c.io.on('packet', (p: { type: number; data?: unknown[] }) => {
        if (p.type === 3 || p.type === 6) resolve(p.data ?? []);
      }),
    );
    // No reply of ours holds binary (shared/protocol); a future one must still arrive as bytes.
    const server = srv.io.of('/').sockets.get(c.id!)!;
    (server as unknown as { packet(p: object): void }).packet({
      type: 3,
      id: 12345,
      data: [{ blob: Buffer.from([1, 2, 3]) }],
    });
    const [reply] = (await received) as [{ blob: unknown }];
    // Bytes, not JSON's `{ type: 'Buffer', data: [...] }` (which Buffer.from would also take).
    expect(ArrayBuffer.isView(reply.blob) || reply.blob instanceof ArrayBuffer).toBe(true);
    expect(Buffer.from(reply.blob as ArrayBuffer)).toEqual(Buffer.from([1, 2, 3]));
    c.close();
  });
});
