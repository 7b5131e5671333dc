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
/** NODE_IDs (comma-separated) that hang: alive, never listening (a start stuck on its database, say). */
const hangs = (process.env.STAND_IN_HANG ?? '').split(',').includes(name);
/** NODE_IDs that die just after they say they listen, giving a cause (the cluster still starting). */
const diesAfterListening = (process.env.STAND_IN_DIE_AFTER_LISTEN ?? '').split(',').includes(name);
if (hangs) {
  console.error(`stand-in ${name} waits forever before listening`);
  setInterval(() => undefined, 60_000);
}
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
if (!hangs)
  server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
    console.log(`stand-in ${name} listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (diesAfterListening) {
      console.error('Error: stand-in lost its database');
      process.exit(3);
    }
  });
process.on('SIGTERM', () => {
  io.close();
  server.close(() => process.exit(0));
});
