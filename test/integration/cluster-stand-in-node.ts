import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * A stand-in for a server process behind the balancer, for the launcher's own test: it answers /health
 * and, over websocket only, tells a client which process it reached and the address it was told the
 * client has. It proves the balancer's round-robin, websocket pass-through and the launcher's process
 * handling without the game (cluster-e2e.test.ts runs the real server).
 */
const name = process.env.NODE_ID ?? 'unnamed';
const server = http.createServer((req, res) => {
  if (req.url === '/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  else res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket'] });
io.on('connection', (socket) => {
  socket.on('whoami', (ack: (r: unknown) => void) =>
    ack({ node: name, pid: process.pid, forwardedFor: socket.handshake.headers['x-forwarded-for'] ?? null }),
  );
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`stand-in ${name} listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  io.close();
  server.close(() => process.exit(0));
});
