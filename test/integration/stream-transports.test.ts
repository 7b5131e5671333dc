import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { holdWrites, preEncode, sendPreEncoded } from '../../server/sockets/pre-encoded-frame.ts';
import { call, createRoom, next, ok, testServer, type ClientSocket } from './helpers.ts';
import { followStream, onView } from './stream-client.ts';

/**
 * The tick stream is written to websockets as ready frames, beside Engine.IO (pre-encoded-frame.ts), and
 * through Engine.IO to anything else. Students on a websocket, on long-polling only, and on long-polling
 * that upgrades to a websocket mid-stream all follow their businesses to the end: every message arrives,
 * in order (no hole, every proof agreed), their own commands before the tick that covers them.
 */
describe('the tick stream over every transport', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 2, studentViewIntervalMs: 20 });
  });
  afterAll(() => srv.close());

  async function student(transports: ('websocket' | 'polling')[]): Promise<ClientSocket> {
    const s: ClientSocket = connect(srv.url, { transports, forceNew: true, reconnection: false });
    followStream(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  }

  /** A client that records the numbers of 'probe' events, and its connection on the server. */
  async function probed(transports: ('websocket' | 'polling')[]) {
    const c = connect(srv.url, { transports, forceNew: true, reconnection: false });
    const got: number[] = [];
    c.on('probe' as never, (n: number) => void got.push(n));
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    const socket = srv.io.of('/').sockets.get(c.id!)!;
    const conn = socket.conn as unknown as EngineConn;
    const emit = socket.emit.bind(socket) as unknown as (event: string, n: number) => void;
    return { c, got, socket, conn, emit };
  }

  it('reaches websocket, long-polling and upgrading students alike', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { seed: 7, settings: { speed: 8 } });
    const kinds: [string, ('websocket' | 'polling')[]][] = [
      ['websocket', ['websocket']],
      ['long-polling', ['polling']],
      ['upgrading', ['polling', 'websocket']],
    ];
    const students = await Promise.all(
      kinds.map(async ([name, transports]) => {
        const socket = await student(transports);
        ok(await call(socket, 'player:join', { roomCode, nickname: name }));
        return { name, socket };
      }),
    );
    // Each buys what its shop allows, one request at a time: their own commands travel beside the stream.
    const acked = new Map<string, number>();
    for (const st of students) {
      let busy = false;
      onView(st.socket, (v) => {
        const item = v.shop.find((i) => i.allowed);
        if (busy || v.status !== 'running' || !item) return;
        busy = true;
        void call(st.socket, 'player:action', item.action).then(
          (r) => {
            busy = false;
            if (r.ok) acked.set(st.name, (acked.get(st.name) ?? 0) + 1);
          },
          // Still waiting when the test closes the connection: nothing to count.
          () => {},
        );
      });
    }
    const ended = students.map((s) => next(s.socket, 'game:ended', () => true, 60_000));
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await Promise.all(ended);
    for (const st of students) {
      const b = followStream(st.socket);
      expect(acked.get(st.name), st.name).toBeGreaterThan(0);
      expect(b.follower.agreed, st.name).toBeGreaterThan(0);
      expect(b.follower.mismatches + b.gaps + b.resyncs + b.badSnapshots, st.name).toBe(0);
      expect(b.follower.state!.status, st.name).toBe('ended');
    }
    expect(students[2]!.socket.io.engine.transport.name).toBe('websocket');
    for (const s of [teacher, ...students.map((x) => x.socket)]) s.close();
  });

  /** What the server's Engine.IO connection shows of its state (not in its public types). */
  interface EngineConn {
    transport: { name: string; writable: boolean };
    upgrading: boolean;
    writeBuffer: unknown[];
  }

  // The fallback through Engine.IO is always correct, so nothing else would notice the fast path being lost
  // (a ws release renaming the sender's private fields, an upgrade leaving a state it does not expect).
  it.each([
    ['a websocket', ['websocket'] as const],
    ['an upgraded connection', ['polling', 'websocket'] as const],
  ])(
    'writes ready frames straight to %s when Engine.IO holds nothing, in order with its packets',
    async (_, t) => {
      const { c, got, socket, conn, emit } = await probed([...t]);
      const idle = (): Promise<void> =>
        vi.waitFor(
          () => {
            expect(conn.transport.name).toBe('websocket');
            expect(conn.upgrading).toBe(false);
            expect(conn.writeBuffer.length).toBe(0);
            expect(conn.transport.writable).toBe(true);
          },
          { timeout: 10_000, interval: 10 },
        );
      await idle();
      expect(sendPreEncoded(socket, preEncode('probe', 1))).toBe('frame');
      // Engine.IO hands 2 to ws now and holds 3 until ws has written it: 4 must queue behind 3.
      emit('probe', 2);
      emit('probe', 3);
      expect(sendPreEncoded(socket, preEncode('probe', 4))).toBe('engine');
      await idle();
      expect(sendPreEncoded(socket, preEncode('probe', 5))).toBe('frame');
      await vi.waitFor(() => expect(got).toEqual([1, 2, 3, 4, 5]), { timeout: 10_000 });
      c.close();
    },
  );

  // The class views go as volatile ready frames: skipped, as Socket.IO's volatile emit skips them, while
  // the connection still writes what it was given, and sent when it is idle.
  it('skips a volatile frame while the connection is still writing, and sends it when idle', async () => {
    const { c, got, socket, conn, emit } = await probed(['websocket']);
    const idle = (): Promise<void> =>
      vi.waitFor(() => expect(conn.transport.writable && conn.writeBuffer.length === 0).toBe(true), {
        timeout: 10_000,
        interval: 10,
      });
    await idle();
    expect(sendPreEncoded(socket, preEncode('probe', 1), true)).toBe('frame');
    // Engine.IO is writing 2: a volatile message now is dropped, as Socket.IO's would be.
    emit('probe', 2);
    expect(sendPreEncoded(socket, preEncode('probe', -1), true)).toBe('none');
    await idle();
    // A ready frame still in the network socket's buffer (held here): the same.
    holdWrites(socket);
    expect(sendPreEncoded(socket, preEncode('probe', 3))).toBe('frame');
    expect(sendPreEncoded(socket, preEncode('probe', -2), true)).toBe('none');
    await new Promise<void>((r) => setImmediate(r));
    await idle();
    expect(sendPreEncoded(socket, preEncode('probe', 4), true)).toBe('frame');
    await vi.waitFor(() => expect(got).toEqual([1, 2, 3, 4]), { timeout: 10_000 });
    c.close();
  });
});
