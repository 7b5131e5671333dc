import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { ClassView, AwaySummary, StudentView } from '../../shared/protocol/views.ts';
import type { RunningServer } from '../../server/server.ts';
import { streamStudentLink } from '../../client/src/live/stream-student-link.ts';
import type { GameSocket } from '../../client/src/net/socket.ts';
import { call, closeAll, createRoom, joinStudents, next, ok, testServer } from './helpers.ts';
import { handTimers } from '../hand-timers.ts';

/**
 * A TCP relay in front of the server that can hold back what the server sends (a server or a page that
 * handles the answer late: the bytes are sent, they are just not taken yet). `hold()` keeps the server's
 * bytes; `release()` passes them on, in order.
 */
async function relay(target: number): Promise<{
  url: string;
  hold: () => void;
  release: () => void;
  close: () => Promise<void>;
}> {
  let holding = false;
  const held: { to: net.Socket; chunk: Buffer }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((page) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(page).add(upstream);
    page.on('data', (d: Buffer) => upstream.write(d));
    upstream.on('data', (d: Buffer) => (holding ? held.push({ to: page, chunk: d }) : page.write(d)));
    const end = (): void => {
      page.destroy();
      upstream.destroy();
    };
    page.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      for (const { to, chunk } of held.splice(0)) to.write(chunk);
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const presence = (v: ClassView, id: string) => v.players.find((p) => p.id === id)?.presence;

/**
 * A student comes back (reload, or a page closed and opened again) and the answer to their resume comes
 * later than the page's patience (a starved server, a slow network). The page's own link
 * (client/src/live/stream-student-link.ts) on a real server: it asks again, and the late answer still
 * counts, so the away note (handed out once, with the first answer) shows, and the business comes with the
 * first snapshot. The old link dropped the late answer and the note with it (docs/performance.md, "A
 * returning student stuck at Connecting…").
 */
describe('a resume answered after the page stopped waiting', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await testServer({ tickIntervalMs: 10 });
  });
  afterAll(() => srv.close());

  it('still shows the away note and the business when the answer comes', async () => {
    const { teacher, roomCode } = await createRoom(srv.url, { settings: { speed: 1 } });
    const [ann] = await joinStudents(srv.url, roomCode, 1);
    ok(await call(teacher, 'teacher:action', { type: 'start' }));
    await next(teacher, 'view:class', (v) => presence(v, ann!.playerId) === 'online');

    // Ann's page closes; she is away for more than the 3 game seconds the server tells about.
    ann!.socket.close();
    const away = await next(teacher, 'view:class', (v) => presence(v, ann!.playerId) === 'away');
    await next(teacher, 'view:class', (v) => v.seconds >= away.seconds + 5);

    // Her page opens again through a relay that holds the server's answer back until the page has given
    // up waiting for it and asked again.
    const net_ = await relay(srv.port);
    const page = io(net_.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      autoConnect: false,
    }) as GameSocket;
    let resumes = 0;
    page.onAnyOutgoing((event) => {
      if (event === 'player:resume') resumes++;
    });
    let snapshots = 0;
    page.on('stream:snapshot', () => snapshots++);
    // Held from the moment the page is connected: its first resume's answer waits in the relay.
    page.on('connect', () => net_.hold());
    const clock = handTimers();
    const patience = 200;
    const link = streamStudentLink(
      { roomCode, playerId: ann!.playerId, playerToken: ann!.playerToken, name: ann!.name },
      page,
      patience,
      clock.timers,
    );
    const notes: AwaySummary[] = [];
    const views: StudentView[] = [];
    link.onAway((a) => notes.push(a));
    const firstView = new Promise<void>((r) =>
      link.onView((v) => {
        views.push(v);
        r();
      }),
    );
    page.connect();

    // It asks, and waits its patience for the answer.
    await expect.poll(() => resumes).toBe(1);
    expect(clock.waits()).toEqual([patience]);
    // No answer in that time: it asks again, and each further time after a longer wait (a class waiting on
    // a stalled server must not send a wave of resumes every patience): the patience plus the backoff,
    // 1 s then 2 s less up to a third of random spread (net/resume-backoff.ts).
    clock.fire();
    expect(resumes).toBe(2);
    const [second] = clock.waits();
    expect(second).toBeGreaterThanOrEqual(patience + 667);
    expect(second).toBeLessThanOrEqual(patience + 1000);
    clock.fire();
    expect(resumes).toBe(3);
    const [third] = clock.waits();
    expect(third).toBeGreaterThanOrEqual(patience + 1333);
    expect(third).toBeLessThanOrEqual(patience + 2000);
    expect(notes).toEqual([]);
    expect(views).toEqual([]);
    net_.release();
    await firstView;
    expect(views[0]!.me.id).toBe(ann!.playerId);
    // Both answers come; the note came with the first, however late.
    await expect.poll(() => notes.length, { timeout: 5000 }).toBe(1);
    expect(notes[0]!.text).toContain('While you were away');
    // All three answered (each with a snapshot): it waits for nothing more, so it is not sent again.
    await expect.poll(() => snapshots, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(clock.waits()).toEqual([]);
    expect(resumes).toBe(3);

    link.close();
    page.close();
    await net_.close();
    closeAll([teacher]);
  });
});
