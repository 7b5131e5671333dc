import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { RoomRuntime } from '../rooms/room-runtime.ts';
import type { Limits } from './limits.ts';
import type { StreamMetrics } from '../rooms/stream-metrics.ts';
import type { SocketRoomTransport } from './room-transport.ts';
import type { IoSocket } from './types.ts';
import { fail } from './edge.ts';

/** What every socket handler needs. */
export interface SocketContext {
  config: ServerConfig;
  logger: Logger;
  registry: RoomRegistry;
  limits: Limits;
  metrics: StreamMetrics;
  transport: (roomCode: string) => SocketRoomTransport | undefined;
}

/**
 * Finds the room an attempt names, counting the attempt against the address (and a miss against its
 * failure budget).
 */
export async function roomForAttempt(
  ctx: SocketContext,
  socket: IoSocket,
  roomCode: string,
): Promise<{ ok: true; room: RoomRuntime } | ReturnType<typeof fail>> {
  if (!(await ctx.limits.attempt(socket.data.addr)))
    return fail('too-many-attempts', 'Too many attempts from this address; wait a minute and try again.');
  const room = ctx.registry.get(roomCode);
  if (!room || room.isDisposed) {
    await ctx.limits.failed(socket.data.addr);
    return fail('unknown-room', `There is no room ${roomCode}. Check the code on the board.`);
  }
  return { ok: true, room };
}

export async function commandAllowed(ctx: SocketContext, socket: IoSocket): Promise<boolean> {
  // Keyed by the connection on purpose: the limit is per socket. Nothing about the player is.
  return ctx.limits.command(socket.id);
}
