import { deviceIdSchema } from '../../shared/protocol/payloads.ts';
import type { Logger } from '../logging.ts';
import type { SocketContext } from './context.ts';
import type { IoServer, IoSocket } from './types.ts';
import { teacherHandlers } from './teacher.ts';
import { studentHandlers, detachPlayer } from './student.ts';
import { projectorHandlers } from './projector.ts';

function addressOf(socket: IoSocket): string {
  return socket.handshake.address || 'unknown';
}

/** The device id from the handshake (validated like any payload); a client without one is its address. */
function deviceOf(socket: IoSocket): string {
  const auth = socket.handshake.auth as { deviceId?: unknown } | undefined;
  const id = deviceIdSchema.safeParse(auth?.deviceId);
  return id.success ? `device:${id.data}` : `addr:${addressOf(socket)}`;
}

/** Wires every connection: one handler module per role; a connection may take any of them. */
export function attachSockets(io: IoServer, ctx: SocketContext, logger: Logger): void {
  io.on('connection', (socket) => {
    socket.data.addr = addressOf(socket);
    socket.data.device = deviceOf(socket);
    teacherHandlers(ctx, socket);
    studentHandlers(ctx, socket);
    projectorHandlers(ctx, socket);
    socket.on('disconnect', () => {
      detachPlayer(ctx, socket);
      for (const code of [socket.data.teacherOf, socket.data.projectorOf])
        if (code) ctx.registry.get(code)?.touch();
    });
    socket.on('error', (e) => logger.warn({ err: e }, 'socket error'));
  });
}
