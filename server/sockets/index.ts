import { deviceIdSchema } from '../../shared/protocol/payloads.ts';
import type { Logger } from '../logging.ts';
import type { SocketContext } from './context.ts';
import { eventListener, type AnyEventSpec } from './edge.ts';
import type { IoServer, IoSocket } from './types.ts';
import { teacherEvents } from './teacher.ts';
import { studentEvents, detachPlayer } from './student.ts';
import { projectorEvents } from './projector.ts';
import { clientAddress } from './release-request.ts';
import { readyAcks } from './ready-acks.ts';
import { oneSocketPerConnection } from './one-socket-per-connection.ts';

/** Every event a connection may send, whatever its role: a connection may take any of them. */
export const connectionEvents: readonly AnyEventSpec[] = [
  ...teacherEvents,
  ...studentEvents,
  ...projectorEvents,
];

/** The device id from the handshake (validated like any payload); a client without one is its address. */
function deviceOf(socket: IoSocket, addr: string): string {
  const auth = socket.handshake.auth as { deviceId?: unknown } | undefined;
  const id = deviceIdSchema.safeParse(auth?.deviceId);
  return id.success ? `device:${id.data}` : `addr:${addr}`;
}

/**
 * Wires every connection: one handler module per role; a connection may take any of them. Its listeners
 * (all its events through one, edge.ts; disconnect; error) are made once here and shared by every
 * connection (Socket.IO calls them with the connection as `this`), so a connection holds no closures of
 * its own.
 */
export function attachSockets(io: IoServer, ctx: SocketContext, logger: Logger): void {
  const events = eventListener(ctx, connectionEvents);
  function gone(this: IoSocket): void {
    ctx.forward?.gone(this);
    detachPlayer(ctx, this);
    for (const code of [this.data.teacherOf, this.data.projectorOf])
      if (code) ctx.registry.get(code)?.touch();
  }
  const failed = (e: Error): void => logger.warn({ err: e }, 'socket error');
  oneSocketPerConnection(io);
  io.on('connection', (socket) => {
    socket.data.addr = clientAddress(socket, ctx.config.trustProxy);
    socket.data.device = deviceOf(socket, socket.data.addr);
    socket.onAny(events);
    readyAcks(socket);
    socket.on('disconnect', gone);
    socket.on('error', failed);
  });
}
