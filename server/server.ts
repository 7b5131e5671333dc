import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ServerConfig } from './config.ts';
import { createLogger, type Logger } from './logging.ts';
import type { Express } from 'express';
import { createApp, serveClient } from './http/app.ts';
import { errorPage } from './http/error-page.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import type { GameStore } from './storage/store.ts';
import { MemoryStore } from './storage/memory-store.ts';
import { SqliteStore } from './storage/sqlite-store.ts';
import { closeDamagedGames } from './storage/close-damaged-games.ts';
import { Limits } from './sockets/limits.ts';
import { StreamMetrics } from './rooms/stream-metrics.ts';
import { SocketRoomTransport } from './sockets/room-transport.ts';
import { attachSockets } from './sockets/index.ts';
import { capUnsentBytes } from './sockets/back-pressure.ts';
import { originAllowed } from './sockets/origin-check.ts';
import type { IoServer } from './sockets/types.ts';

export interface RunningServer {
  url: string;
  port: number;
  registry: RoomRegistry;
  store: GameStore;
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
  opts: { logger?: Logger; store?: GameStore } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const store = opts.store ?? openStore(config, logger);
  // The request handler is bound now and set below: Socket.IO wraps the listeners present when it attaches,
  // answering its own path (/socket.io/) and passing every other request on. A listener added after it
  // would also see /socket.io/ requests, and express answering a long-polling POST that engine.io already
  // answered threw ERR_HTTP_HEADERS_SENT out of the process.
  const bound: { app?: Express } = {};
  const httpServer = http.createServer((req, res) => {
    if (bound.app) bound.app(req, res);
    else res.writeHead(503, { 'content-type': 'text/plain' }).end('Starting up.');
  });
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: config.maxHttpBufferSize,
    perMessageDeflate: false,
    httpCompression: false,
    transports: ['websocket', 'polling'],
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    allowRequest: (req, callback) =>
      originAllowed(req, config.allowedOrigins)
        ? callback(null, true)
        : callback('This page may not connect to this server (origin not allowed).', false),
  });

  const transports = new Map<string, SocketRoomTransport>();
  const registry = new RoomRegistry(config, store, logger, (roomCode) => {
    // Transports of rooms that have closed are dropped here, so the map holds about one per open room.
    for (const code of transports.keys()) if (!registry.get(code)) transports.delete(code);
    const t = new SocketRoomTransport(io, roomCode);
    transports.set(roomCode, t);
    return t;
  });
  const limits = new Limits(config);
  const metrics = new StreamMetrics();
  const stopUnsentCap = capUnsentBytes(io, config.maxUnsentBytes, logger);
  attachSockets(
    io,
    {
      config,
      logger,
      registry,
      limits,
      metrics,
      transport: (code) => (registry.get(code) ? transports.get(code) : undefined),
    },
    logger,
  );

  const app = createApp({ config, store, registry, logger, metrics });
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

  closeDamagedGames(store, logger);
  const recovered = registry.recoverAll();
  if (recovered > 0) logger.info({ rooms: recovered }, 'rooms recovered from the store');

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  let closed = false;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    registry,
    store,
    io,
    metrics,
    async close() {
      if (closed) return;
      closed = true;
      stopUnsentCap();
      registry.stopAll();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeAllConnections();
      store.close();
    },
  };
}
