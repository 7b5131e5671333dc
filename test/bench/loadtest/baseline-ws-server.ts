import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * Baseline (b), the floor: a plain `ws` server that builds one frame (the same bytes a Socket.IO client
 * would receive for the captured tick message) per interval and writes it to every connected client.
 * No rooms, no acknowledgements, no encoding per client: one write per socket per message.
 */
const payloadFile = process.argv[2]!;
const intervalMs = Number(process.argv[3] ?? 100);
const frame = Buffer.from(
  `42${JSON.stringify(['stream:tick', JSON.parse(fs.readFileSync(payloadFile, 'utf8'))])}`,
);

const httpServer = http.createServer();
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
setInterval(() => {
  for (const ws of wss.clients) ws.send(frame, { binary: false });
}, intervalMs);
httpServer.listen(0, '127.0.0.1', () => {
  console.log(`baseline listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
