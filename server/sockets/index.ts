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
function unknownEvents(ctx: SocketContext): (this: IoSocket, event: unknown, ...args: unknown[]) => void {
  return function (this: IoSocket, event: unknown, ...args: unknown[]): void {
    if (typeof event === 'string' && this.listeners(event as 'disconnect').length > 0) return;
    const ack = args[args.length - 1];
    void ctx.limits.event(this.id).then(
      (budget) => {
        if (budget === 'drop') {
          this.disconnect(true);
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
  };
}

/**
 * Wires every connection: one handler module per role; a connection may take any of them. The listeners
 * that are not per event are made once here and shared by every connection (Socket.IO calls them with
 * the connection as `this`), so a connection holds no closures of its own for them.
 */
export function attachSockets(io: IoServer, ctx: SocketContext, logger: Logger): void {
  const unknown = unknownEvents(ctx);
  function gone(this: IoSocket): void {
    ctx.forward?.gone(this);
    detachPlayer(ctx, this);
    for (const code of [this.data.teacherOf, this.data.projectorOf])
      if (code) ctx.registry.get(code)?.touch();
  }
  const failed = (e: Error): void => logger.warn({ err: e }, 'socket error');
  io.on('connection', (socket) => {
    socket.data.addr = addressOf(socket, ctx.config.trustProxy);
    socket.data.device = deviceOf(socket, socket.data.addr);
    teacherHandlers(ctx, socket);
    studentHandlers(ctx, socket);
    projectorHandlers(ctx, socket);
    socket.onAny(unknown);
    socket.on('disconnect', gone);
    socket.on('error', failed);
  });
}
