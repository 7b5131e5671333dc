import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ServerConfig } from './config.ts';
import { createLogger, type Logger } from './logging.ts';
import type { Express } from 'express';
import { createApp, ENDED_LOG_CACHE_CHARS, serveClient } from './http/app.ts';
import { EndedLogCache } from './http/ended-log-cache.ts';
import { GameRetention } from './storage/game-retention.ts';
import { errorPage } from './http/error-page.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import type { GameReads, GameStore, RoomStore } from './storage/store.ts';
import { MemoryStore } from './storage/memory-store.ts';
import { SqliteStore } from './storage/sqlite-store.ts';
import { GroupCommitStore, type GroupWritable } from './storage/group-commit-store.ts';
import { closeDamagedGames } from './storage/close-damaged-games.ts';
import { Limits, memoryLimiters } from './sockets/limits.ts';
import { StreamMetrics } from './rooms/stream-metrics.ts';
import { SocketRoomTransport } from './sockets/room-transport.ts';
import { attachSockets } from './sockets/index.ts';
import { releaseRequests } from './sockets/release-request.ts';
import { capUnsentBytes } from './sockets/back-pressure.ts';
import { originAllowed } from './sockets/origin-check.ts';
import { ConnectionsPerAddress } from './sockets/connections-per-address.ts';
import { SOCKET_IO_OPTIONS } from './sockets/socket-options.ts';
import type { IoServer } from './sockets/types.ts';
import type { SocketContext } from './sockets/context.ts';
import { startClusterSockets, type ClusterSockets } from './cluster/cluster-sockets.ts';
import type { ClusterStorage } from './cluster/cluster-storage.ts';
import { ClusterGameStore } from './cluster/cluster-game-store.ts';
import { ClusterRooms } from './cluster/cluster-rooms.ts';
import { RoomLeases } from './cluster/room-leases.ts';
import { clusterLimiters } from './cluster/shared-limiters.ts';
import { listenFailure } from './http/listen-failure.ts';

/** Cluster mode's parts, for whoever builds on them (the socket edge forwarding to owners, the tests). */
export interface ClusterParts {
  storage: ClusterStorage;
  leases: RoomLeases;
  rooms: ClusterRooms;
  store: ClusterGameStore;
}

export interface RunningServer {
  url: string;
  port: number;
  registry: RoomRegistry;
  /** The embedded store (null in cluster mode: see `cluster`). */
  store: GameStore | null;
  /** Cluster mode only. */
  cluster: ClusterParts | null;
  /** The sweep that deletes games past GAME_RETENTION_DAYS (null: games are kept forever). */
  retention: GameRetention | null;
  io: IoServer;
  metrics: StreamMetrics;
  /** Stops rooms (they come back on the next start), closes connections and the store. */
  close(): Promise<void>;
}

/** Throws StoreOpenError (one readable line) when the SQLite file cannot be used. */
export function openStore(config: ServerConfig, logger: Logger): GameStore {
  return config.store === 'memory'
    ? new MemoryStore()
    : new SqliteStore(config.dataDir, {
        synchronous: config.sqliteSynchronous,
        warn: (details, message) => logger.warn(details, message),
      });
}

/**
 * Starts everything: store, rooms recovered from it, express, Socket.IO. Used by main.ts and in-process
 * by the integration tests (with port 0 and the memory store).
 */
export async function startServer(
  config: ServerConfig,
  opts: {
    logger?: Logger;
    store?: GameStore;
    cluster?: ClusterStorage;
    /** Wall-clock ms of the retention sweep (tests pass a fake clock). */
    now?: () => number;
  } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel, config.logFile);
  // Cluster mode (docs/cluster.md): rooms write to PostgreSQL under Redis leases; no embedded store.
  let cluster: ClusterParts | null = null;
  if (opts.cluster) {
    if (!config.cluster) throw new Error('cluster storage given without a cluster configuration');
    const c = config.cluster;
    const leases = new RoomLeases(opts.cluster.redis, c.nodeId, c.leaseMs, c.keyPrefix);
    const ref: { rooms?: ClusterRooms } = {};
    const clusterStore = new ClusterGameStore(opts.cluster.store, opts.cluster.log, logger, (id, e) =>
      ref.rooms?.fenced(id, e),
    );
    ref.rooms = new ClusterRooms(leases, clusterStore, logger);
    cluster = { storage: opts.cluster, leases, rooms: ref.rooms, store: clusterStore };
  }
  const store = cluster ? null : (opts.store ?? openStore(config, logger));
  // SQLite: the rooms' writes of one turn of the event loop share one transaction (group-commit-store.ts).
  const grouped =
    store && config.crossRoomCommit && 'writeGroup' in store
      ? new GroupCommitStore(store as GroupWritable, (details, message) => logger.warn(details, message))
      : null;
  const roomStore: RoomStore = cluster ? cluster.store : (grouped ?? store!);
  const reads: GameReads = cluster ? cluster.store : store!;
  // The request handler is bound now and set below: Socket.IO wraps the listeners present when it attaches,
  // answering its own path (/socket.io/) and passing every other request on. A listener added after it
  // would also see /socket.io/ requests, and express answering a long-polling POST that engine.io already
  // answered threw ERR_HTTP_HEADERS_SENT out of the process.
  const bound: { app?: Express } = {};
  const httpServer = http.createServer((req, res) => {
    if (bound.app) bound.app(req, res);
    else res.writeHead(503, { 'content-type': 'text/plain' }).end('Starting up.');
  });
  const perAddress = new ConnectionsPerAddress(config.connectionsPerAddress, config.trustProxy);
  const io: IoServer = new Server(httpServer, {
    ...SOCKET_IO_OPTIONS,
    transports: [...SOCKET_IO_OPTIONS.transports],
    maxHttpBufferSize: config.maxHttpBufferSize,
    // The per-address check goes last: allowing a handshake takes its place.
    allowRequest: (req, callback) =>
      !originAllowed(req, config.allowedOrigins)
        ? callback('This page may not connect to this server (origin not allowed).', false)
        : !perAddress.allows(req)
          ? callback('Too many connections from this address; close some and try again.', false)
          : callback(null, true),
  });
  // Each connection's HTTP request let go once it is open (about 1 KB per student), its address kept.
  releaseRequests(io, config.trustProxy);
  perAddress.countOn(io);

  const transports = new Map<string, SocketRoomTransport>();
  // Cluster mode's socket edge (forwarding to owners, the Redis adapter): set up once the context exists.
  const sockets: { cluster?: ClusterSockets } = {};
  const registry = new RoomRegistry(
    config,
    roomStore,
    logger,
    (roomCode) => {
      // Transports of rooms that have closed are dropped here, so the map holds about one per open room.
      for (const code of transports.keys()) if (!registry.get(code)) transports.delete(code);
      // One process: the stream is written as ready websocket frames (room-transport.ts).
      const t = sockets.cluster?.transport(roomCode) ?? new SocketRoomTransport(io, roomCode, true);
      transports.set(roomCode, t);
      return t;
    },
    cluster?.rooms ?? null,
  );
  // In a cluster, join, room-creation and log-read limits are counted in Redis: N processes do not multiply them.
  const limiters = cluster
    ? clusterLimiters(cluster.storage.redis, `${config.cluster!.keyPrefix}limit:`)
    : memoryLimiters;
  const limits = new Limits(config, limiters);
  const metrics = new StreamMetrics();
  const stopUnsentCap = capUnsentBytes(io, config.maxUnsentBytes, logger);
  const ctx: SocketContext = {
    config,
    logger,
    registry,
    limits,
    metrics,
    transport: (code) => (registry.get(code) ? transports.get(code) : undefined),
  };
  attachSockets(io, ctx, logger);
  if (cluster)
    sockets.cluster = await startClusterSockets(io, ctx, {
      redisUrl: config.cluster!.redisUrl,
      nodeId: config.cluster!.nodeId,
      pool: cluster.storage.pool,
      leases: cluster.leases,
      prefix: config.cluster!.keyPrefix,
    });

  const endedLogs = new EndedLogCache(ENDED_LOG_CACHE_CHARS);
  const app = createApp({
    config,
    store: reads,
    registry,
    logger,
    metrics,
    commits: grouped,
    limiters,
    endedLogs,
  });
  bound.app = app;
  if (config.dev) {
    // Lazy: vite is a dev dependency, and the server runs without it.
    const { createServer } = await import('vite');
    const vite = await createServer({
      configFile: 'client/vite.config.ts',
      server: { middlewareMode: true, hmr: { server: httpServer } },
      appType: 'spa',
    });
    app.use(vite.middlewares);
    logger.info('dev mode: Vite serves the client');
  } else {
    serveClient(app, config.clientDir, logger);
  }
  app.use(errorPage(logger));

  if (store) {
    closeDamagedGames(store, logger);
    const recovered = registry.recoverAll(store);
    if (recovered > 0) logger.info({ rooms: recovered }, 'rooms recovered from the store');
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (e) => reject(listenFailure(e, config.host, config.port)));
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  // Open rooms whose owner is gone (this cluster's earlier run, or a process that died) are taken over.
  cluster?.rooms.watch(registry);
  // Once the rooms are back (they are the games the sweep must leave alone). Every process of a cluster
  // sweeps: PostgresStore.deleteStaleGames makes that safe.
  const days = config.gameRetentionDays;
  const retention =
    days === null
      ? null
      : new GameRetention(days, {
          store: cluster ? cluster.storage.store : store!,
          open: () => {
            const open = grouped?.waitingGames() ?? new Set<string>();
            for (const room of registry.rooms()) open.add(room.gameId);
            return open;
          },
          now: opts.now ?? Date.now,
          logger,
          onDeleted: (ids) => ids.forEach((id) => endedLogs.delete(id)),
        });
  await retention?.start();
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  let closed = false;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    registry,
    store,
    cluster,
    retention,
    io,
    metrics,
    async close() {
      if (closed) return;
      closed = true;
      stopUnsentCap();
      // The sweep takes no further step, and the rooms stop without waiting for the step under way (a
      // PostgreSQL delete of long logs): their last snapshots and lease releases must not wait on it.
      const sweepStopped = retention?.stop();
      await cluster?.rooms.stop();
      registry.stopAll();
      // Each room's last snapshot is written and its lease given back, so another process takes it at once.
      await cluster?.rooms.drained();
      await sweepStopped;
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      await sockets.cluster?.close();
      httpServer.closeAllConnections();
      // The rooms' last snapshots, handed over as they stopped, are written before the file closes.
      await grouped?.drain();
      store?.close();
      await cluster?.storage.close();
    },
  };
}
