import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { RoomRuntime } from '../rooms/room-runtime.ts';
import type { AttemptKeys, Limits } from './limits.ts';
import type { StreamMetrics } from '../rooms/stream-metrics.ts';
import type { SocketRoomTransport } from './room-transport.ts';
import type { IoSocket } from './types.ts';
import { fail, type EventForwarding } from './edge.ts';

/** What every socket handler needs. */
export interface SocketContext {
  config: ServerConfig;
  logger: Logger;
  registry: RoomRegistry;
  limits: Limits;
  metrics: StreamMetrics;
  transport: (roomCode: string) => SocketRoomTransport | undefined;
  /** Cluster mode: events about rooms other processes run go to them (server/sockets/forwarding.ts). */
  forward?: EventForwarding;
}

function attemptKeys(socket: IoSocket): AttemptKeys {
  return { device: socket.data.device, addr: `addr:${socket.data.addr}` };
}

/**
 * Finds the room an attempt names. The attempt counts against this device and this address, with a miss
 * reserved before the lookup (see Limits); a room that exists hands the miss back, unless a token still has
 * to be checked (`withToken`): then the caller calls attemptWasRight() once the token is.
 */
export async function roomForAttempt(
  ctx: SocketContext,
  socket: IoSocket,
  roomCode: string,
  opts: { withToken?: boolean } = {},
): Promise<{ ok: true; room: RoomRuntime } | ReturnType<typeof fail>> {
  if (!(await ctx.limits.attempt(attemptKeys(socket))))
    return fail('too-many-attempts', 'Too many attempts from this device; wait a minute and try again.');
  const room = ctx.registry.get(roomCode);
  if (!room || room.isDisposed)
    return fail('unknown-room', `There is no room ${roomCode}. Check the code on the board.`);
  if (!opts.withToken) await attemptWasRight(ctx, socket);
  return { ok: true, room };
}

/** A valid token: the attempt was no guess, and never counts toward the wrong-code budget. */
export function attemptWasRight(ctx: SocketContext, socket: IoSocket): Promise<void> {
  return ctx.limits.hit(attemptKeys(socket));
}

/** Actions are limited per player (or per teacher's room) across all their connections. */
export async function commandAllowed(ctx: SocketContext, socket: IoSocket): Promise<boolean> {
  const { player, teacherOf } = socket.data;
  const key = player
    ? `player:${player.roomCode}:${player.playerId}`
    : teacherOf
      ? `teacher:${teacherOf}`
      : `socket:${socket.id}`;
  return ctx.limits.command(key);
}
