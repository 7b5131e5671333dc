import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ServerConfig } from './config.ts';
import { createLogger, type Logger } from './logging.ts';
import { createApp, serveClient } from './http/app.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import type { GameStore } from './storage/store.ts';
import { MemoryStore } from './storage/memory-store.ts';
import { SqliteStore } from './storage/sqlite-store.ts';
import { Limits } from './sockets/limits.ts';
import { StreamMetrics } from './rooms/stream-metrics.ts';
import { SocketRoomTransport } from './sockets/room-transport.ts';
import { attachSockets } from './sockets/index.ts';
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

export function openStore(config: ServerConfig): GameStore {
  return config.store === 'memory' ? new MemoryStore() : new SqliteStore(config.dataDir);
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
  const store = opts.store ?? openStore(config);
  const httpServer = http.createServer();
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: config.maxHttpBufferSize,
    perMessageDeflate: false,
    httpCompression: false,
    transports: ['websocket', 'polling'],
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });

  const transports = new Map<string, SocketRoomTransport>();
  const registry = new RoomRegistry(config, store, logger, (roomCode) => {
    const t = new SocketRoomTransport(io, roomCode);
    transports.set(roomCode, t);
    return t;
  });
  const limits = new Limits(config);
  const metrics = new StreamMetrics();
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
  httpServer.on('request', app);

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
      registry.stopAll();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeAllConnections();
      store.close();
    },
  };
}
