import { io, type Socket } from 'socket.io-client';
import { DEFAULT_CONFIG } from '../../server/config.ts';
import { createLogger } from '../../server/logging.ts';
import { startServer } from '../../server/server.ts';

/**
 * What idle rooms cost: N lobby rooms (and N paused games) with nobody connected, the server's CPU time
 * over a measuring window. Before idle rooms slept, each woke 10 times a second (200 lobbies: 37% of a
 * core). Prints figures, asserts nothing.
 *   node --import tsx test/bench/idle-rooms-bench.ts [rooms] [seconds]
 */
const rooms = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 10);

const srv = await startServer(
  {
    ...DEFAULT_CONFIG,
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    logLevel: 'silent',
    maxRooms: rooms * 2 + 1,
    roomsPerAddress: rooms * 2,
    roomsPerMinute: rooms * 2,
    eventsPerSecond: 100_000,
    commandsPerSecond: 100_000,
  },
  { logger: createLogger('silent') },
);

async function connect(): Promise<Socket> {
  const s = io(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}
function call(s: Socket, event: string, payload: unknown): Promise<{ ok: boolean }> {
  return new Promise((resolve) => s.emit(event, payload, resolve));
}

async function measure(label: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000)); // let the last views go out
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  const share = (100 * ms) / (performance.now() - t0);
  console.log(`${label}: ${ms.toFixed(0)} ms of CPU in ${seconds} s (${share.toFixed(2)}% of a core)`);
}

await measure('no rooms');
const teachers: Socket[] = [];
for (let i = 0; i < rooms; i++) {
  const t = await connect();
  await call(t, 'room:create', { scenarioId: 'lemonade-week' });
  teachers.push(t);
}
for (const t of teachers) t.close();
await measure(`${rooms} lobby rooms, nobody connected`);
const paused: Socket[] = [];
for (let i = 0; i < rooms; i++) {
  const t = await connect();
  await call(t, 'room:create', { scenarioId: 'lemonade-week' });
  await call(t, 'teacher:action', { type: 'start' });
  await call(t, 'teacher:action', { type: 'pause' });
  paused.push(t);
}
for (const t of paused) t.close();
await measure(`${rooms} lobby + ${rooms} paused rooms, nobody connected`);
await srv.close();
