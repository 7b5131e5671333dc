import { io as connect, type Socket } from 'socket.io-client';
import type { ShopItem, StudentViewMessage } from '../../../shared/protocol/views.ts';

/**
 * One load generator process: scripted students over real sockets. Driven by the parent over IPC:
 * join → (measure-start → measure-stop) → exit. It measures what students actually receive: views per
 * second, and the delay from a teacher's event (its time is in the announcement's text) to the first view
 * that shows it.
 */
interface Init {
  url: string;
  students: { roomCode: string; name: string }[];
  /** Mean seconds between a student's actions (0: never act). */
  actEverySeconds: number;
  viewIntervalMs: number;
}

const init = JSON.parse(process.argv[2]!) as Init;
const now = (): number => performance.timeOrigin + performance.now();

interface Bot {
  socket: Socket;
  views: number;
  seen: Set<string>;
  busy: boolean;
  shop: ShopItem[];
}

const bots: Bot[] = [];
let measuring = false;
let latencies: number[] = [];
let actions = 0;
let refused = 0;
let sample: StudentViewMessage | null = null;
let sampleBytes = 0;
let sampled = 0;
const actProbability = init.actEverySeconds > 0 ? init.viewIntervalMs / 1000 / init.actEverySeconds : 0;

function onView(b: Bot, v: StudentViewMessage): void {
  b.views++;
  if (v.shop) b.shop = v.shop; // the server sends the shop only when it changes
  for (const banner of v.banners) {
    if (!banner.text.startsWith('lt ') || b.seen.has(banner.text)) continue;
    b.seen.add(banner.text);
    const t0 = Number(banner.text.split(' ')[2]);
    if (measuring) latencies.push(now() - t0);
  }
  if (measuring && (sampled++ & 63) === 0) {
    sampleBytes += JSON.stringify(v).length;
    sample ??= v;
  }
  if (!b.busy && v.status === 'running' && Math.random() < actProbability) {
    const item = b.shop.find((i) => i.allowed);
    if (!item) return;
    b.busy = true;
    b.socket.emit('player:action', item.action, (r: { ok: boolean }) => {
      b.busy = false;
      if (!measuring) return;
      actions++;
      if (!r.ok) refused++;
    });
  }
}

async function joinOne(s: { roomCode: string; name: string }): Promise<number> {
  const t0 = performance.now();
  const socket = connect(init.url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const b: Bot = { socket, views: 0, seen: new Set(), busy: false, shop: [] };
  socket.on('view:student', (v: StudentViewMessage) => onView(b, v));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const r = await new Promise<{ ok: boolean; error?: { message: string } }>((resolve) =>
    socket.emit('player:join', { roomCode: s.roomCode, nickname: s.name }, resolve),
  );
  if (!r.ok) throw new Error(`join refused: ${r.error?.message}`);
  bots.push(b);
  return performance.now() - t0;
}

async function joinAll(): Promise<{ joinMs: number[]; failed: number }> {
  const joinMs: number[] = [];
  let failed = 0;
  const queue = [...init.students];
  // A class does not join in one instant: a few dozen at a time.
  await Promise.all(
    Array.from({ length: 25 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          joinMs.push(await joinOne(s));
        } catch {
          failed++;
        }
      }
    }),
  );
  return { joinMs, failed };
}

let windowStart = 0;
process.on('message', (m: { cmd: string }) => {
  const send = (x: object): void => void process.send!(x);
  if (m.cmd === 'join') {
    void joinAll().then((r) => send({ type: 'joined', ...r }));
  } else if (m.cmd === 'measure-start') {
    for (const b of bots) b.views = 0;
    latencies = [];
    actions = refused = sampled = sampleBytes = 0;
    measuring = true;
    windowStart = performance.now();
    send({ type: 'measuring' });
  } else if (m.cmd === 'measure-stop') {
    measuring = false;
    const seconds = (performance.now() - windowStart) / 1000;
    send({
      type: 'stats',
      seconds,
      rates: bots.map((b) => b.views / seconds),
      latencies,
      actions,
      refused,
      sample,
      meanViewBytes: sampled > 0 ? sampleBytes / Math.ceil(sampled / 64) : 0,
    });
  } else if (m.cmd === 'exit') {
    for (const b of bots) b.socket.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready' });
