import { Redis } from 'ioredis';
import type pg from 'pg';
import type { SocketContext } from '../sockets/context.ts';
import { Forwarding } from '../sockets/forwarding.ts';
import { detachPlayer } from '../sockets/student.ts';
import { eventListener } from '../sockets/edge.ts';
import { connectionEvents } from '../sockets/index.ts';
import { SocketRoomTransport } from '../sockets/room-transport.ts';
import type { IoServer, IoSocket } from '../sockets/types.ts';
import { OwnerRpc } from './owner-rpc.ts';
import { isRemoteSocket, RemoteSockets, type Forwarded } from './remote-socket.ts';
import { RoomDirectory } from './room-directory.ts';
import type { RoomLeases } from './room-leases.ts';
import { useClusterAdapter } from './socket-adapter.ts';

export interface ClusterSockets {
  /** The owner's stand-ins for sockets on other processes. */
  remote: RemoteSockets;
  forwarding: Forwarding;
  /** A room's transport that also counts teachers and projectors connected to other processes. */
  transport(roomCode: string): SocketRoomTransport;
  close(): Promise<void>;
}

/**
 * Everything that lets any process take any connection (docs/cluster.md): the Socket.IO Redis adapter
 * (broadcasts and per-socket messages reach sockets on every process), OwnerRpc (this process's request
 * channel), the owner's stand-ins for remote sockets wired with the same handlers as local ones, and the
 * edge's forwarding, set as `ctx.forward` so every validated event takes it.
 */
export async function startClusterSockets(
  io: IoServer,
  ctx: SocketContext,
  opts: {
    redisUrl: string;
    nodeId: string;
    pool: pg.Pool;
    leases: RoomLeases;
    prefix?: string;
    timeoutMs?: number;
    ownerCheckMs?: number;
  },
): Promise<ClusterSockets> {
  const prefix = opts.prefix ?? 'lemonscale:';
  const adapter = await useClusterAdapter(io, opts.redisUrl, `${prefix}sio`);
  const pub = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  const sub = new Redis(opts.redisUrl);
  const rpc = new OwnerRpc(pub, sub, opts.nodeId, prefix);
  const events = eventListener(ctx, connectionEvents);
  const remote = new RemoteSockets(
    io,
    (s) => s.onAny(events),
    (s) => {
      // As a local disconnect (index.ts): the player is away, the rooms it watched were touched.
      detachPlayer(ctx, s.asSocket());
      for (const code of [s.data.teacherOf, s.data.projectorOf]) if (code) ctx.registry.get(code)?.touch();
    },
  );
  await rpc.start((gameId, payload) => {
    const msg = payload as Forwarded;
    // The lease named this process but the room is not here (it lost the room, or this is a restarted
    // process under the same name while the old lease runs out): the edge answers owner-unavailable.
    if (msg.kind === 'event' && !ctx.registry.byGameId(gameId))
      return Promise.reject(new Error(`room of game ${gameId} is not run by ${opts.nodeId}`));
    return remote.receive(msg);
  });
  const directory = new RoomDirectory(opts.pool, opts.leases);
  const forwarding = new Forwarding({
    nodeId: opts.nodeId,
    isLocal: (code) => ctx.registry.get(code) !== undefined,
    locate: (code) => directory.locate(code),
    call: (nodeId, gameId, msg, timeoutMs) => rpc.call(nodeId, gameId, msg, timeoutMs),
    timeoutMs: opts.timeoutMs,
  });
  ctx.forward = forwarding;
  const checker = setInterval(
    () => void forwarding.checkOwners().catch(() => undefined),
    opts.ownerCheckMs ?? 300,
  );

  return {
    remote,
    forwarding,
    transport: (roomCode) => new ClusterRoomTransport(io, roomCode, remote),
    async close() {
      clearInterval(checker);
      delete ctx.forward;
      await rpc.close();
      pub.disconnect();
      sub.disconnect();
      await adapter.close();
    },
  };
}

/**
 * A room's transport in a cluster. Class views go out when a teacher or projector watches from any
 * process, not only this one. And a player's own messages (commands, proofs, a kick) to a socket on this
 * process go through the adapter like the room's broadcasts: the adapter delivers a broadcast to local
 * sockets only once its Redis publish returned, so a direct `socket.emit` would overtake the tick it
 * belongs to (a proof for a tick the browser has not seen yet never agrees; a test saw none agree).
 */
export class ClusterRoomTransport extends SocketRoomTransport {
  private readonly ordered = new WeakMap<IoSocket, IoSocket>();

  constructor(
    private readonly server: IoServer,
    roomCode: string,
    private readonly remote: RemoteSockets,
  ) {
    super(server, roomCode);
  }

  /** The socket, with `emit` sent through the adapter (in order with broadcasts); stand-ins already are. */
  private inOrder(socket: IoSocket): IoSocket {
    if (isRemoteSocket(socket)) return socket;
    let p = this.ordered.get(socket);
    if (!p) {
      const io = this.server;
      p = new Proxy(socket, {
        get(target, prop) {
          if (prop === 'emit')
            return (ev: string, ...args: unknown[]) =>
              (io.to(target.id).emit as (e: string, ...a: unknown[]) => boolean)(ev, ...args);
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      this.ordered.set(socket, p);
    }
    return p;
  }

  override attachPlayer(playerId: string, socket: IoSocket): void {
    super.attachPlayer(playerId, this.inOrder(socket));
  }

  override detachPlayer(playerId: string, socket: IoSocket): void {
    super.detachPlayer(playerId, this.inOrder(socket));
  }

  override hasTeacher(): boolean {
    return super.hasTeacher() || this.remote.watching('teacherOf', this.roomCode);
  }

  override hasProjector(): boolean {
    return super.hasProjector() || this.remote.watching('projectorOf', this.roomCode);
  }
}
