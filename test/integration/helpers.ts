import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/socket-events.ts';
import type { Ack } from '../../shared/protocol/errors.ts';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { createLogger } from '../../server/logging.ts';
import { followStream } from './stream-client.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real server in this process: port 0, memory store unless given one, quiet logs. */
/**
 * A server in this process on a free port, in memory, quiet; `overrides` change its settings, `opts` what
 * startServer is given (a test's own store, logger or clock).
 */
export function testServer(
  overrides: Partial<ServerConfig> = {},
  opts: Parameters<typeof startServer>[1] = {},
): Promise<RunningServer> {
  return startServer(
    { ...DEFAULT_CONFIG, port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent', ...overrides },
    { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), ...opts },
  );
}

/** A connection; if it plays, its business is followed from the tick stream (stream-client.ts). */
export async function client(url: string): Promise<ClientSocket> {
  const s: ClientSocket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  followStream(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

type Events = ClientToServerEvents;
type AckOf<E extends keyof Events> = Parameters<Events[E]>[1] extends (res: infer R) => void ? R : never;

/** Emits with an acknowledgement and waits for it. */
export function call<E extends keyof Events>(s: ClientSocket, event: E, payload: unknown): Promise<AckOf<E>> {
  return new Promise((resolve, reject) => {
    const gone = (): void => {
      clearTimeout(timer);
      reject(new Error(`${event}: disconnected`));
    };
    const timer = setTimeout(() => {
      s.off('disconnect', gone);
      reject(new Error(`${event}: no acknowledgement`));
    }, 10_000);
    if (s.disconnected) return gone();
    s.once('disconnect', gone);
    (s.emit as (ev: string, p: unknown, ack: (r: unknown) => void) => void)(event, payload, (r) => {
      clearTimeout(timer);
      s.off('disconnect', gone);
      resolve(r as AckOf<E>);
    });
  });
}

export function ok<T extends object>(r: Ack<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.error.code}: ${r.error.message}`);
  return r;
}

/** Resolves with the first event of this name that satisfies the predicate. */
export function next<E extends keyof ServerToClientEvents>(
  s: ClientSocket,
  event: E,
  pred: (arg: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const on = s.on.bind(s) as unknown as (ev: string, fn: (a: never) => void) => void;
    const off = s.off.bind(s) as unknown as (ev: string, fn: (a: never) => void) => void;
    const timer = setTimeout(() => {
      off(event, listener);
      reject(new Error(`no ${event} in ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (arg: Parameters<ServerToClientEvents[E]>[0]): void => {
      if (!pred(arg)) return;
      clearTimeout(timer);
      off(event, listener);
      resolve(arg);
    };
    on(event, listener as (a: never) => void);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface Student {
  socket: ClientSocket;
  playerId: string;
  playerToken: string;
  name: string;
}

export async function createRoom(
  url: string,
  payload: Record<string, unknown> = {},
): Promise<{ teacher: ClientSocket; roomCode: string; teacherToken: string; gameId: string }> {
  const teacher = await client(url);
  const r = ok(await call(teacher, 'room:create', { scenarioId: 'lemonade-week', ...payload }));
  return { teacher, roomCode: r.roomCode, teacherToken: r.teacherToken, gameId: r.gameId };
}

export async function joinStudents(
  url: string,
  roomCode: string,
  n: number,
  prefix = 'Student',
): Promise<Student[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const socket = await client(url);
      const name = `${prefix} ${i + 1}`;
      const r = ok(await call(socket, 'player:join', { roomCode, nickname: name }));
      return { socket, playerId: r.playerId, playerToken: r.playerToken, name };
    }),
  );
}

export function closeAll(...sockets: (ClientSocket | { socket: ClientSocket })[][]): void {
  for (const list of sockets) for (const s of list) ('socket' in s ? s.socket : s).close();
}
