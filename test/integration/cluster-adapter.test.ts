import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { useClusterAdapter, type ClusterAdapterHandle } from '../../server/cluster/socket-adapter.ts';
import { TEST_REDIS_URL } from './cluster-services.ts';

/** Two Socket.IO servers (two "processes") sharing rooms through Redis's sharded pub/sub. */
describe('Socket.IO Redis adapter (sharded): rooms span processes', () => {
  const prefix = `lemonscale-test:sio:${randomBytes(4).toString('hex')}`;
  const opened: { io: Server; server: http.Server; adapter: ClusterAdapterHandle }[] = [];
  const clients: Socket[] = [];

  async function node(): Promise<{ io: Server; url: string }> {
    const server = http.createServer();
    const io = new Server(server, { transports: ['websocket'] });
    const adapter = await useClusterAdapter(io, TEST_REDIS_URL, prefix);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    opened.push({ io, server, adapter });
    return { io, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  async function client(url: string): Promise<Socket> {
    const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    clients.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    return s;
  }

  const received = (s: Socket, event: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${event}`)), 5000);
      s.once(event, (m: unknown) => {
        clearTimeout(t);
        resolve(m);
      });
    });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    for (const o of opened) {
      await new Promise<void>((r) => o.io.close(() => r()));
      await o.adapter.close();
    }
  });

  it('a room broadcast, a join and a message for one socket made on one process reach a socket on the other', async () => {
    const a = await node();
    const b = await node();
    // The student's socket is on B; A owns the room.
    const student = await client(b.url);
    const watcher = await client(a.url);

    // A puts B's socket into the room's channel (a message to every process: it returns before B acts)...
    a.io.in(student.id!).socketsJoin('students:ABCD');
    a.io.in(watcher.id!).socketsJoin('students:ABCD');
    const members = async (): Promise<string[]> =>
      (await b.io.in('students:ABCD').fetchSockets()).map((s) => s.id).sort();
    const until = Date.now() + 5000;
    while ((await members()).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await members()).toEqual([student.id, watcher.id].sort());
    // ...then its tick stream reaches both, wherever they are connected.
    const ticks = [received(student, 'stream:tick'), received(watcher, 'stream:tick')];
    a.io.to('students:ABCD').emit('stream:tick', { tick: 7 });
    expect(await Promise.all(ticks)).toEqual([{ tick: 7 }, { tick: 7 }]);

    // A message for one student only (their own commands, proofs, snapshot).
    const own = received(student, 'stream:snapshot');
    a.io.to(student.id!).emit('stream:snapshot', { mine: true });
    expect(await own).toEqual({ mine: true });

    // Leaving works across processes too: nothing more arrives.
    a.io.in(student.id!).socketsLeave('students:ABCD');
    const left = Date.now() + 5000;
    while ((await members()).length > 1 && Date.now() < left) await new Promise((r) => setTimeout(r, 20));
    let more = 0;
    student.on('stream:tick', () => more++);
    const last = received(watcher, 'stream:tick');
    a.io.to('students:ABCD').emit('stream:tick', { tick: 8 });
    await last;
    // The watcher got tick 8; the student, out of the room, did not (same publish, already delivered).
    expect(more).toBe(0);
  });
});
