import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/socket-events.ts';
import type { Ack } from '../../../shared/protocol/errors.ts';
import { showConnectionBanner } from './connection-banner.ts';
import { deviceId } from './device-id.ts';

export type GameSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: GameSocket | null = null;

/**
 * One socket per page. WebSocket only: no sticky sessions are needed behind a load balancer, which is
 * what the game teaches. Socket.IO reconnects by itself; screens re-send their resume on every
 * 'connect' because a new connection is a new socket on the server (nothing is keyed by socket id).
 */
export function gameSocket(): GameSocket {
  if (socket) return socket;
  const s: GameSocket = io({
    transports: ['websocket'],
    auth: { deviceId: deviceId() },
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
  });
  s.on('disconnect', () => showConnectionBanner('lost'));
  s.io.on('reconnect_attempt', () => showConnectionBanner('reconnecting'));
  s.on('connect', () => showConnectionBanner('ok'));
  s.on('connect_error', () => showConnectionBanner('reconnecting'));
  socket = s;
  return s;
}

/** Runs `fn` now if connected and again after every reconnect; returns an unsubscribe. */
export function onEveryConnect(fn: () => void, s: GameSocket = gameSocket()): () => void {
  s.on('connect', fn);
  if (s.connected) fn();
  return () => s.off('connect', fn);
}

type Events = ClientToServerEvents;
/** The acknowledgement an event is answered with. */
export type AckOf<E extends keyof Events> = Parameters<Events[E]>[1] extends (res: infer R) => void
  ? R
  : never;

/**
 * Emits an event and resolves with its acknowledgement (or a timeout error, so buttons never hang). An
 * answer that comes after the timeout is dropped: for a request whose answer matters however late it
 * comes, use {@link ask}.
 */
export function request<E extends keyof Events>(
  event: E,
  payload: unknown,
  timeoutMs = 8000,
  s: GameSocket = gameSocket(),
): Promise<AckOf<E>> {
  const timed = s.timeout(timeoutMs) as unknown as {
    emit(ev: string, p: unknown, cb: (err: Error | null, res: unknown) => void): void;
  };
  return new Promise((resolve) => {
    timed.emit(event, payload, (err, res) => {
      if (err) resolve(NO_ANSWER as AckOf<E>);
      else resolve(res as AckOf<E>);
    });
  });
}

/**
 * Emits an event and calls `answered` with its acknowledgement whenever it comes: no timeout drops it (the
 * caller decides what to do while it waits). If the connection drops first, no answer comes.
 */
export function ask<E extends keyof Events>(
  event: E,
  payload: unknown,
  answered: (res: AckOf<E>) => void,
  s: GameSocket = gameSocket(),
): void {
  (s.emit as (ev: string, p: unknown, cb: (res: AckOf<E>) => void) => void)(event, payload, answered);
}

/** What request() resolves with when the server did not answer in time (compare by identity). */
export const NO_ANSWER: Ack = {
  ok: false,
  error: { code: 'server-error', message: 'The server did not answer. Check your connection and try again.' },
};
