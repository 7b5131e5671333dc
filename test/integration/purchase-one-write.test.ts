import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket as NetSocket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { call, closeAll, createRoom, joinStudents, ok, testServer } from './helpers.ts';
import { nextView } from './stream-client.ts';

/**
 * A student's command applied at a tick boundary costs the server one system write to that student:
 * the acknowledgement, the command's echo in the student's own stream and the tick message behind it
 * leave together (holdWrites in server/sockets/pre-encoded-frame.ts). Each write is a packet, and a
 * packet's trip through the kernel was the biggest part of what a purchase cost (docs/performance.md).
 * The group-commit window is made longer than the game so the command waits for the tick loop's
 * boundary; with the embedded SQLite store its transaction runs in an immediate after the tick, with
 * the memory store the acknowledgement is settled at once: both ways end in the one write.
 */
describe('a purchase applied at the tick boundary', () => {
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each(['sqlite', 'memory'] as const)(
    'is acknowledged in the same write as its echo and the tick message (%s store)',
    async (store) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'lemonscale-one-write-'));
      dirs.push(dataDir);
      const srv = await testServer({ store, dataDir, groupCommitMs: 600_000 });
      servers.push(srv);
      const { teacher, roomCode } = await createRoom(srv.url);
      const [student] = await joinStudents(srv.url, roomCode, 1);
      const { socket } = student!;
      ok(await call(teacher, 'teacher:action', { type: 'start' }));

      // Every system write of the student's connection on the server, as the bytes it held.
      const conn = srv.io.of('/').sockets.get(socket.id!)!.conn as unknown as {
        transport: { socket: { _socket: NetSocket } };
      };
      const net = conn.transport.socket._socket as unknown as {
        _write(chunk: Buffer, enc: string, cb: () => void): void;
        _writev(chunks: { chunk: Buffer }[], cb: () => void): void;
      };
      const writes: string[] = [];
      const [write, writev] = [net._write.bind(net), net._writev.bind(net)];
      net._write = (chunk, enc, cb) => (writes.push(chunk.toString('latin1')), write(chunk, enc, cb));
      net._writev = (chunks, cb) => (
        writes.push(chunks.map((c) => c.chunk.toString('latin1')).join('')),
        writev(chunks, cb)
      );

      // Three purchases, one after the other, each the first thing the student's shop allows.
      for (let i = 0; i < 3; i++) {
        const view = await nextView(socket, (v) => v.status === 'running' && v.shop.some((x) => x.allowed));
        const item = view.shop.find((x) => x.allowed)!;
        const r = await call(socket, 'player:action', item.action);
        expect(r.ok, JSON.stringify(r)).toBe(true);
        // The acknowledgement is the Socket.IO packet `3<id>[{"ok":true,...}]` inside a frame.
        const withAck = writes.filter((w) => /43\d+\[\{"ok":true/.test(w));
        expect(withAck.length, `acknowledgements written: ${i + 1}`).toBe(i + 1);
        const last = withAck.at(-1)!;
        expect(last, 'the echo of the command in the same write').toContain('"stream:command"');
        expect(last, 'the tick message in the same write').toContain('"stream:tick"');
      }
      closeAll([teacher, socket]);
    },
  );
});
