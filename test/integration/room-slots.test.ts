import { afterAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../server/config.ts';
import type { RunningServer } from '../../server/server.ts';
import { io } from 'socket.io-client';
import { call, client, closeAll, sleep, testServer, type ClientSocket } from './helpers.ts';

/** A client whose connection comes from another loopback address (another school, as the server sees it). */
async function clientFrom(localAddress: string, port: number): Promise<ClientSocket> {
  const s: ClientSocket = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    localAddress,
  } as Parameters<typeof io>[1]);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** Room slots under attack: one address making lobby rooms as fast as it may. */
describe('room slots', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });
  async function server(overrides: Partial<ServerConfig>): Promise<number> {
    const srv = await testServer({
      roomsPerMinute: 10_000,
      maxRooms: 30,
      roomsPerAddress: 10,
      ...overrides,
    });
    servers.push(srv);
    return srv.port;
  }
  const openRooms = async (port: number): Promise<number> =>
    ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { rooms: number }).rooms;

  /** `n` room:create from 127.0.0.1, ten per connection; the answers in order. */
  async function flood(port: number, n: number): Promise<{ sockets: ClientSocket[]; answers: string[] }> {
    const sockets: ClientSocket[] = [];
    const answers: string[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 10 === 0) sockets.push(await client(`http://127.0.0.1:${port}`));
      const r = await call(sockets.at(-1)!, 'room:create', { scenarioId: 'lemonade-week' });
      answers.push(r.ok ? 'ok' : r.error.message);
    }
    return { sockets, answers };
  }

  it('200 lobby rooms from one address get 10, and another address still gets rooms', async () => {
    const port = await server({ lobbyIdleTtlMs: 10 * 60_000 });
    const { sockets, answers } = await flood(port, 200);
    expect(answers.filter((a) => a === 'ok')).toHaveLength(10);
    expect(answers.filter((a) => /already has 10 rooms open/.test(a))).toHaveLength(190);
    expect(await openRooms(port)).toBe(10);
    const teacher = await clientFrom('127.0.0.2', port);
    const mine = await call(teacher, 'room:create', { scenarioId: 'lemonade-week' });
    expect(mine.ok, JSON.stringify(mine)).toBe(true);
    closeAll(sockets, [teacher]);
  });

  it('empty lobbies close after LOBBY_IDLE_TTL_MS and give their slots back', async () => {
    const port = await server({ lobbyIdleTtlMs: 1000 });
    const { sockets, answers } = await flood(port, 10);
    expect(answers).toEqual(Array(10).fill('ok'));
    const keeper = await clientFrom('127.0.0.2', port);
    expect((await call(keeper, 'room:create', { scenarioId: 'lemonade-week' })).ok).toBe(true);
    closeAll(sockets);
    // The lobby whose teacher is still connected stays; the ten empty ones go.
    const until = Date.now() + 15_000;
    while ((await openRooms(port)) > 1 && Date.now() < until) await sleep(100);
    expect(await openRooms(port)).toBe(1);
    const back = await client(`http://127.0.0.1:${port}`);
    expect((await call(back, 'room:create', { scenarioId: 'lemonade-week' })).ok).toBe(true);
    closeAll([keeper, back]);
  });
});
