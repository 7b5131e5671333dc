import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { BaselineServer } from './baseline-server.ts';

/**
 * Baseline (b), the floor: a plain `ws` server that builds one frame (the same bytes a Socket.IO client
 * would receive for the captured tick message) per interval and writes it to every connected client.
 * No rooms, no acknowledgements, no encoding per client: one write per socket per message.
 */
export async function startWsBaseline(payload: object, intervalMs: number): Promise<BaselineServer> {
  const frame = Buffer.from(`42${JSON.stringify(['stream:tick', payload])}`);
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    broadcast() {
      timer ??= setInterval(() => {
        for (const ws of wss.clients) ws.send(frame, { binary: false });
      }, intervalMs);
    },
    async close() {
      clearInterval(timer);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => httpServer.close(() => resolve())));
    },
  };
}

// As a script (the load test runs each baseline in its own process): payload file, interval.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const payload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as object;
  const server = await startWsBaseline(payload, Number(process.argv[3] ?? 100));
  // Broadcasting starts on SIGUSR2, once the clients have joined: the load test reads the RSS of the
  // joined, idle server first, as it does ours before the game starts.
  process.on('SIGUSR2', () => server.broadcast());
  process.on('SIGTERM', () => process.exit(0));
  console.log(`baseline listening on ${server.url}`);
}
