import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * Baseline (a): a bare Socket.IO server with the same options as ours. It acknowledges joins, puts every
 * client in one Socket.IO room, and broadcasts the same message (a real tick message captured from the
 * run) to the room at the same rate: encoded once per broadcast, as our tick stream is. Whatever our
 * server spends beyond this is the cost of the game.
 */
const payloadFile = process.argv[2]!;
const intervalMs = Number(process.argv[3] ?? 100);
const payload = JSON.parse(fs.readFileSync(payloadFile, 'utf8')) as object;

const httpServer = http.createServer();
const io = new Server(httpServer, {
  maxHttpBufferSize: 16 * 1024,
  perMessageDeflate: false,
  httpCompression: false,
  transports: ['websocket', 'polling'],
  serveClient: false,
});
io.on('connection', (socket) => {
  socket.on('player:join', (_p: unknown, ack: (r: object) => void) => {
    void socket.join('class');
    ack({ ok: true, playerId: 'x', playerToken: 'x'.repeat(32), roomCode: 'BASE' });
  });
  socket.on('player:action', (_p: unknown, ack: (r: object) => void) => ack({ ok: true, tick: 0 }));
});
setInterval(() => io.to('class').emit('stream:tick', payload), intervalMs);
httpServer.listen(0, '127.0.0.1', () => {
  console.log(`baseline listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
