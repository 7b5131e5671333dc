import { deviceIdSchema } from '../../shared/protocol/payloads.ts';
import type { Logger } from '../logging.ts';
import type { SocketContext } from './context.ts';
import { fail } from './edge.ts';
import type { IoServer, IoSocket } from './types.ts';
import { teacherHandlers } from './teacher.ts';
import { studentHandlers, detachPlayer } from './student.ts';
import { projectorHandlers } from './projector.ts';

/** The client's address; behind our balancer (trustProxy), the X-Forwarded-For entry it added last. */
function addressOf(socket: IoSocket, trustProxy: boolean): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').pop()!.trim();
    if (last !== '') return last;
  }
  return socket.handshake.address || 'unknown';
}

/** The device id from the handshake (validated like any payload); a client without one is its address. */
function deviceOf(socket: IoSocket, addr: string): string {
  const auth = socket.handshake.auth as { deviceId?: unknown } | undefined;
  const id = deviceIdSchema.safeParse(auth?.deviceId);
  return id.success ? `device:${id.data}` : `addr:${addr}`;
}

/**
 * Events no handler listens to would otherwise be dropped without a word and without counting: they are
 * answered 'invalid-payload' (when they carry an acknowledgement) and count toward the event budget like
 * any other, so a flood of made-up event names is cut like a flood of bad payloads.
 */
function unknownEvents(ctx: SocketContext, socket: IoSocket): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && socket.listeners(event as 'disconnect').length > 0) return;
    const ack = args[args.length - 1];
    void ctx.limits.event(socket.id).then(
      (budget) => {
        if (budget === 'drop') {
          socket.disconnect(true);
          return;
        }
        if (typeof ack === 'function')
          (ack as (r: unknown) => void)(
            budget === 'ok'
              ? fail('invalid-payload', `There is no event "${String(event).slice(0, 40)}".`)
              : fail('rate-limited', 'Slow down: too many messages.'),
          );
      },
      (e: unknown) => ctx.logger.error({ err: e }, 'event budget failed'),
    );
  });
}

/** Wires every connection: one handler module per role; a connection may take any of them. */
export function attachSockets(io: IoServer, ctx: SocketContext, logger: Logger): void {
  io.on('connection', (socket) => {
    socket.data.addr = addressOf(socket, ctx.config.trustProxy);
    socket.data.device = deviceOf(socket, socket.data.addr);
    teacherHandlers(ctx, socket);
    studentHandlers(ctx, socket);
    projectorHandlers(ctx, socket);
    unknownEvents(ctx, socket);
    socket.on('disconnect', () => {
      ctx.forward?.gone(socket);
      detachPlayer(ctx, socket);
      for (const code of [socket.data.teacherOf, socket.data.projectorOf])
        if (code) ctx.registry.get(code)?.touch();
    });
    socket.on('error', (e) => logger.warn({ err: e }, 'socket error'));
  });
}
