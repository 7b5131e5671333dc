import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { SOCKET_IO_OPTIONS } from '../../../server/sockets/socket-options.ts';
import { DEFAULT_CONFIG } from '../../../server/config.ts';

/** A baseline server of the load test and the memory benchmark: started, then broadcasting on demand. */
export interface BaselineServer {
  url: string;
  /** Starts sending the message to every joined client every interval. */
  broadcast(): void;
  close(): Promise<void>;
}

/**
 * Baseline (a): a bare Socket.IO server with the same options as ours. It acknowledges joins, puts every
 * client in one Socket.IO room, and broadcasts the same message (a real tick message captured from the
 * run) to the room at the same rate: encoded once per broadcast, as our tick stream is. Whatever our
 * server spends beyond this is the cost of the game.
 */
export async function startSocketIoBaseline(payload: object, intervalMs: number): Promise<BaselineServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    ...SOCKET_IO_OPTIONS,
    transports: [...SOCKET_IO_OPTIONS.transports],
    maxHttpBufferSize: DEFAULT_CONFIG.maxHttpBufferSize,
  });
  io.on('connection', (socket) => {
    socket.on('player:join', (_p: unknown, ack: (r: object) => void) => {
      void socket.join('class');
      ack({ ok: true, playerId: 'x', playerToken: 'x'.repeat(32), roomCode: 'BASE' });
    });
    socket.on('player:action', (_p: unknown, ack: (r: object) => void) => ack({ ok: true, tick: 0 }));
  });
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    broadcast() {
      timer ??= setInterval(() => io.to('class').emit('stream:tick', payload), intervalMs);
    },
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

// As a script (the load test runs each baseline in its own process): payload file, interval.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const payload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as object;
  const server = await startSocketIoBaseline(payload, Number(process.argv[3] ?? 100));
  // Broadcasting starts on SIGUSR2, once the clients have joined: the load test reads the RSS of the
  // joined, idle server first, as it does ours before the game starts.
  process.on('SIGUSR2', () => server.broadcast());
  // A SIGTERM ends it normally, so that `--cpu-prof` (LOADTEST_NODE_ARGS) writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  console.log(`baseline listening on ${server.url}`);
}
