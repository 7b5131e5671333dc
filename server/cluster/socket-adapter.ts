import { Redis } from 'ioredis';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';

/** The adapter's two connections (a subscribed connection can send nothing else), to close on stop. */
export interface ClusterAdapterHandle {
  close(): Promise<void>;
}

/**
 * Makes Socket.IO rooms span the cluster: a broadcast to a room (the tick stream to `students:CODE`, a
 * class view to `teacher:CODE`) reaches that room's sockets on every process, and `io.to(socketId)`,
 * `io.in(socketId).socketsJoin(…)` reach a socket wherever it is connected. Redis 7's sharded pub/sub
 * (SPUBLISH/SSUBSCRIBE) through @socket.io/redis-adapter's sharded adapter (docs/cluster.md says why).
 * In "static" mode: one channel per namespace that every process subscribes to once at start, so no
 * broadcast can race a subscription. The "dynamic" modes subscribe a room's channel when a process gets
 * its first socket in that room, and a tick published in between is lost to that process: a student
 * who just joined would start with a hole in the stream. Static costs every process every room's
 * messages (it drops the ones for rooms it has no socket in): cheap for a few processes, and the mode
 * to revisit past a few dozen.
 */
export async function useClusterAdapter(
  io: Server,
  redisUrl: string,
  channelPrefix = 'lemonscale:sio',
): Promise<ClusterAdapterHandle> {
  // While Redis is away (a restart) broadcasts fail at once and are dropped rather than queued without
  // bound: the tick stream is volatile by design (a browser that misses ticks asks for a snapshot).
  // The subscriber keeps its queue: its few subscriptions are replayed when Redis is back.
  const pub = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const sub = new Redis(redisUrl, { lazyConnect: true });
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createShardedAdapter(pub, sub, { channelPrefix, subscriptionMode: 'static' }));
  return {
    async close() {
      pub.disconnect();
      sub.disconnect();
      await Promise.resolve();
    },
  };
}
