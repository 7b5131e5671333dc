import type { z } from 'zod';
import type { ClientToServerEvents } from '../../shared/protocol/socket-events.ts';
import type { Ack, AckCallback, ErrorCode } from '../../shared/protocol/errors.ts';
import { ackError } from '../../shared/protocol/errors.ts';
import { formatIssues } from '../../shared/scenarios/schema.ts';
import type { IoSocket } from './types.ts';
import type { SocketContext } from './context.ts';

type AckPayload<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

export type Reply<E extends keyof ClientToServerEvents> = Ack<AckPayload<E>>;

/** Cluster mode's hook: runs a validated event here or at the room's owner (server/sockets/forwarding.ts). */
export interface EventForwarding {
  run(socket: IoSocket, event: string, payload: unknown, here: () => Promise<unknown>): Promise<unknown>;
  gone(socket: IoSocket): void;
}

export function fail(
  code: ErrorCode,
  message: string,
): { ok: false; error: { code: ErrorCode; message: string } } {
  return ackError(code, message);
}

/**
 * One event a connection may send: its schema, and what a valid payload does on this connection. Defined
 * once per process (module level), not per connection: a connection holds one listener per event and
 * nothing else of ours (a class of 2,000 holds 2,000 of each).
 */
export interface EventSpec<E extends keyof ClientToServerEvents, S extends z.ZodType> {
  event: E;
  schema: S;
  run(ctx: SocketContext, socket: IoSocket, data: z.output<S>): Promise<Reply<E>> | Reply<E>;
}

/** Any event's spec (a role's list of them). */
export type AnyEventSpec = EventSpec<keyof ClientToServerEvents, z.ZodType>;

export function onEvent<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  event: E,
  schema: S,
  run: EventSpec<E, S>['run'],
): EventSpec<E, S> {
  return { event, schema, run };
}

/**
 * The edge: every incoming event goes through here. It first counts against the connection's event budget
 * (valid or not: a flood of junk is refused like any other, and a connection far past its budget is
 * closed). The payload is then validated with its schema; a bad one is answered with 'invalid-payload' and
 * a readable message and goes no further. A handler that throws is answered with 'server-error' (and
 * logged), never taking the room or the process down.
 */
export function handle<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  socket: IoSocket,
  ctx: SocketContext,
  spec: EventSpec<E, S>,
): void {
  // The listener keeps three things (socket, ctx, spec); everything else is made per event received.
  const on = socket.on as unknown as (this: IoSocket, ev: string, fn: (...args: unknown[]) => void) => void;
  on.call(socket, spec.event, (...args: unknown[]) => {
    const { event, schema } = spec;
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (r: unknown) => void) : () => {};
    const payload = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
    const reply = (r: unknown): void => {
      try {
        ack(r);
      } catch {
        // The connection went away; nothing to tell.
      }
    };
    const failed = (e: unknown): void => {
      ctx.logger.error({ err: e, event }, 'handler failed');
      reply(fail('server-error', 'Something went wrong on the server.'));
    };
    ctx.limits
      .event(socket.id)
      .then((budget) => {
        if (budget === 'drop') {
          ctx.logger.warn({ addr: socket.data.addr, event }, 'connection flooding events; closed');
          socket.disconnect(true);
          return;
        }
        if (budget === 'refused') return reply(fail('rate-limited', 'Slow down: too many messages.'));
        const parsed = schema.safeParse(payload);
        if (!parsed.success)
          return reply(fail('invalid-payload', `${event}: ${formatIssues(parsed.error).join('; ')}`));
        const here = (): Promise<unknown> => Promise.resolve(spec.run(ctx, socket, parsed.data));
        // Cluster mode: an event about a room another process runs is handled there (forwarding.ts).
        return Promise.resolve()
          .then(() => (ctx.forward ? ctx.forward.run(socket, event, parsed.data, here) : here()))
          .then(reply, failed);
      })
      .catch(failed);
  });
}
