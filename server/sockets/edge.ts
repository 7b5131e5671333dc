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
 * once per process (module level), not per connection (see eventListener).
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

/** Socket.IO's catch-all listener: called for every event a connection sends, with the connection as `this`. */
export type EventListener = (this: IoSocket, event: unknown, ...args: unknown[]) => void;

/**
 * The one listener of every connection for all the events it may send, made once per process from the
 * roles' lists of events (teacher.ts, student.ts, projector.ts). A connection holds a reference to it and
 * nothing else of ours for its events: a listener per event and connection (a closure with its context,
 * and an entry in the connection's table of listeners) cost about 1.8 KB of heap per connection
 * (docs/performance.md, "Memory per connected student").
 *
 * Every event counts against the connection's event budget first (valid or not: a flood of junk is
 * refused like any other, and a connection far past its budget is closed). An event no role defines is
 * answered 'invalid-payload' when it carries an acknowledgement (a flood of made-up event names is cut
 * like a flood of bad payloads). A defined event's payload is validated with its schema; a bad one is
 * answered with 'invalid-payload' and a readable message and goes no further. A handler that throws is
 * answered with 'server-error' (and logged), never taking the room or the process down.
 */
export function eventListener(ctx: SocketContext, specs: readonly AnyEventSpec[]): EventListener {
  const byEvent = new Map<string, AnyEventSpec>();
  for (const spec of specs) {
    if (byEvent.has(spec.event)) throw new Error(`event ${spec.event} defined twice`);
    byEvent.set(spec.event, spec);
  }
  return function (this: IoSocket, event: unknown, ...args: unknown[]): void {
    const spec = typeof event === 'string' ? byEvent.get(event) : undefined;
    if (spec) runEvent(ctx, this, spec, args);
    else unknownEvent(ctx, this, event, args);
  };
}

type AckFn = (r: unknown) => void;

/** The acknowledgement an event carries: its last argument, when that is a function. */
function ackOf(args: unknown[]): AckFn | null {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as AckFn) : null;
}

/** The payload: the first argument, unless that is the acknowledgement. */
function payloadOf(args: unknown[], ack: AckFn | null): unknown {
  return ack === null || args.length > 1 ? args[0] : undefined;
}

/** Answers an event (if it asked for an answer); a connection already gone has nothing to tell. */
function settle(ack: AckFn | null, r: unknown): void {
  if (ack === null) return;
  try {
    ack(r);
  } catch {
    // The connection went away.
  }
}

/*
 * No function is named per event here (a `const f = () => ...` or an object's method): under tsx, whose
 * esbuild keeps names, each one created costs an Object.defineProperty of its `name`, and turns it into a
 * slow dictionary object; that was a tenth of this path's CPU (docs/performance.md, "Ninth round").
 * The callbacks below are anonymous.
 */

/**
 * Spends one event of the connection's budget. Refused or cut, the event is answered `rate-limited`
 * (a connection far past its budget is then closed): every acknowledgement is settled, so nothing that
 * waits on one (a cluster re-resume, forwarding.ts) waits forever. True when the event may go on.
 */
async function spendBudget(
  ctx: SocketContext,
  socket: IoSocket,
  event: unknown,
  ack: AckFn | null,
): Promise<boolean> {
  const budget = await ctx.limits.event(socket.id);
  if (budget === 'ok') return true;
  settle(ack, fail('rate-limited', 'Slow down: too many messages.'));
  if (budget === 'drop') {
    ctx.logger.warn(
      { addr: socket.data.addr, event: String(event).slice(0, 40) },
      'connection flooding events; closed',
    );
    socket.disconnect(true);
  }
  return false;
}

function unknownEvent(ctx: SocketContext, socket: IoSocket, event: unknown, args: unknown[]): void {
  const ack = ackOf(args);
  spendBudget(ctx, socket, event, ack).then(
    (ok) => {
      if (ok) settle(ack, fail('invalid-payload', `There is no event "${String(event).slice(0, 40)}".`));
    },
    (e: unknown) => ctx.logger.error({ err: e }, 'event budget failed'),
  );
}

function handlerFailed(ctx: SocketContext, event: string, ack: AckFn | null, e: unknown): void {
  ctx.logger.error({ err: e, event }, 'handler failed');
  settle(ack, fail('server-error', 'Something went wrong on the server.'));
}

function runEvent(ctx: SocketContext, socket: IoSocket, spec: AnyEventSpec, args: unknown[]): void {
  const ack = ackOf(args);
  const payload = payloadOf(args, ack);
  spendBudget(ctx, socket, spec.event, ack)
    .then((ok) => (ok ? validated(ctx, socket, spec, payload, ack) : undefined))
    .catch((e: unknown) => handlerFailed(ctx, spec.event, ack, e));
}

/** A payload past the budget: validated, then run here or (cluster mode) at the room's owner. */
function validated(
  ctx: SocketContext,
  socket: IoSocket,
  spec: AnyEventSpec,
  payload: unknown,
  ack: AckFn | null,
): Promise<void> | void {
  const { event, schema } = spec;
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    return settle(ack, fail('invalid-payload', `${event}: ${formatIssues(parsed.error).join('; ')}`));
  const data: unknown = parsed.data;
  // Cluster mode: an event about a room another process runs is handled there (forwarding.ts).
  return Promise.resolve()
    .then(() =>
      ctx.forward
        ? ctx.forward.run(socket, event, data, () => Promise.resolve(spec.run(ctx, socket, data)))
        : spec.run(ctx, socket, data),
    )
    .then(
      (r) => settle(ack, r),
      (e: unknown) => handlerFailed(ctx, event, ack, e),
    );
}
