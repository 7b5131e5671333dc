import type { Logger } from '../logging.ts';
import type { IoServer, IoSocket } from './types.ts';

/** What engine.io and ws expose of a connection's unsent data (not in their public types). */
interface Conn {
  writeBuffer?: { data?: unknown }[];
  transport?: { name?: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  close?: () => void;
}

/**
 * Bytes this server holds for a connection that the peer has not taken yet: what the websocket has queued
 * (ws's bufferedAmount, beyond the kernel's own buffers) plus packets engine.io is holding back until the
 * transport can write again.
 */
export function unsentBytes(socket: IoSocket): number {
  const conn = socket.conn as unknown as Conn;
  let n = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const p of conn.writeBuffer ?? [])
    n += typeof p.data === 'string' ? p.data.length : p.data instanceof Uint8Array ? p.data.byteLength : 16;
  return n;
}

/**
 * A connection that stops reading (a frozen tab, a slow or hostile client) would make the server keep
 * every reliable message for it (acks, shops, results) without bound. Views are volatile and skipped
 * already; for the rest, a connection holding more than `maxBytes` unsent is cut (terminated, not closed
 * politely: a polite close would wait on the same peer). Its client reconnects and resumes with its token,
 * and gets a fresh view. Checked every `intervalMs`; returns a stop function.
 */
export function capUnsentBytes(
  io: IoServer,
  maxBytes: number,
  logger: Logger,
  intervalMs = 1000,
): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const held = unsentBytes(socket);
      if (held <= maxBytes) continue;
      logger.warn({ addr: socket.data.addr, held, maxBytes }, 'connection not reading; cut');
      const conn = socket.conn as unknown as Conn;
      const raw = conn.transport?.socket;
      if (raw?.terminate) raw.terminate();
      else conn.close?.();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
