import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { TickMessage } from '../../../shared/protocol/tick-stream.ts';
import { BusinessFollower } from '../../../shared/stream/business-follower.ts';
import { shopItems } from '../../../shared/views/shop.ts';

/**
 * One load generator process: scripted students over real sockets. Driven by the parent over IPC:
 * join → (measure-start → measure-stop) → exit.
 *
 * Against our server (mode 'ours') each student follows their business from the tick stream exactly as
 * the browser does (shared/stream/business-follower.ts: snapshot, own commands, tick messages, proofs),
 * so "on screen" is honest: the delay of a teacher's event is measured when the student's own business
 * has applied it (its time is in the announcement's text). Against the baselines ('socketio', 'ws') a
 * student only counts the messages it receives. Bytes are what arrives on the wire per student.
 */
interface Init {
  url: string;
  mode: 'ours' | 'socketio' | 'ws';
  students: { roomCode: string; name: string }[];
  /** Mean seconds between a student's actions (0: never act). */
  actEverySeconds: number;
  viewIntervalMs: number;
  /** Cluster mode: reconnect after the process holding the socket dies, and resume with the token. */
  resume?: boolean;
  /**
   * Bare Socket.IO baseline only: the chance, per message received, that a client sends a purchase (one
   * at a time, acknowledged by the baseline), so that it receives as many as our server did.
   */
  purchasesPerMessage?: number;
}

const init = JSON.parse(process.argv[2]!) as Init;
const now = (): number => performance.timeOrigin + performance.now();

interface Bot {
  close(): void;
  ticks: number;
  bytes: number;
  follower: BusinessFollower;
  /** Announcements already measured (index into the event history seen so far). */
  eventsSeen: number;
  busy: boolean;
  socket: Socket | null;
  /** When the last tick message arrived, and the longest wait between two in the window (ms). */
  lastTickAt: number;
  longestSilence: number;
  roomCode: string;
}

const bots: Bot[] = [];
let measuring = false;
let latencies: number[] = [];
/** From a purchase's emit to its acknowledgement (ms), in the window: what a student waits for the shop to answer. */
let ackLatencies: number[] = [];
let actions = 0;
let refused = 0;
let mismatches = 0;
let gaps = 0;
let agreed = 0;
let sample: TickMessage | null = null;
const actProbability = init.actEverySeconds > 0 ? init.viewIntervalMs / 1000 / init.actEverySeconds : 0;

/** Socket.IO's text frame for an event: `42["name",payload]`. */
const frameBytes = (event: string, payload: unknown): number =>
  6 + event.length + JSON.stringify(payload).length;

function onTick(b: Bot, m: TickMessage, bytes: number): void {
  const t = performance.now();
  if (measuring) {
    b.ticks++;
    b.bytes += bytes;
    b.longestSilence = Math.max(b.longestSilence, t - Math.max(b.lastTickAt, windowStart));
  }
  b.lastTickAt = t;
  if (init.mode !== 'ours') return baselinePurchase(b);
  sample ??= m;
  const outcome = b.follower.tick(m);
  if (outcome === 'gap' || outcome === 'diverged') gaps++;
  const s = b.follower.state;
  const me = b.follower.me;
  if (!s || !me) return;
  const h = s.eventHistory;
  for (; b.eventsSeen < h.length; b.eventsSeen++) {
    const e = h[b.eventsSeen]!.event;
    if (e.kind !== 'announce' || !e.text.startsWith('lt ')) continue;
    if (measuring) latencies.push(now() - Number(e.text.split(' ')[2]));
  }
  if (!b.busy && b.socket && s.status === 'running' && Math.random() < actProbability) {
    const item = shopItems(s, me).find((i) => i.allowed);
    if (!item) return;
    b.busy = true;
    const sentAt = performance.now();
    b.socket.emit('player:action', item.action, (r: { ok: boolean }) => {
      b.busy = false;
      if (!measuring) return;
      actions++;
      ackLatencies.push(performance.now() - sentAt);
      if (!r.ok) refused++;
    });
  }
}

/** The same purchase every time: the bare baseline reads and acknowledges it, and that is all. */
const BASELINE_PURCHASE = { type: 'buy', item: 'stand' };

function baselinePurchase(b: Bot): void {
  if (b.busy || !b.socket || Math.random() >= (init.purchasesPerMessage ?? 0)) return;
  b.busy = true;
  b.socket.emit('player:action', { ...BASELINE_PURCHASE, commandId: `c${actions}` }, () => {
    b.busy = false;
    if (measuring) actions++;
  });
}

function newBot(): Bot {
  return {
    close: () => {},
    ticks: 0,
    bytes: 0,
    follower: new BusinessFollower(),
    eventsSeen: 0,
    busy: false,
    socket: null,
    lastTickAt: 0,
    longestSilence: 0,
    roomCode: '',
  };
}

async function joinWs(): Promise<number> {
  const t0 = performance.now();
  const b = newBot();
  const ws = new WebSocket(init.url.replace('http', 'ws'));
  ws.on('message', (data: Buffer) => {
    if (measuring) {
      b.ticks++;
      b.bytes += data.length;
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  b.close = () => ws.close();
  bots.push(b);
  return performance.now() - t0;
}

async function joinOne(s: { roomCode: string; name: string }): Promise<number> {
  if (init.mode === 'ws') return joinWs();
  const t0 = performance.now();
  const socket = connect(init.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: init.resume === true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  const b = newBot();
  b.roomCode = s.roomCode;
  b.socket = socket;
  b.close = () => socket.close();
  socket.on('stream:tick', (m: TickMessage) => onTick(b, m, frameBytes('stream:tick', m)));
  socket.on('stream:snapshot', (snap) => {
    if (measuring) b.bytes += frameBytes('stream:snapshot', snap);
    b.follower.snapshot(snap);
    b.eventsSeen = b.follower.state?.eventHistory.length ?? 0;
  });
  socket.on('stream:command', (c) => {
    if (measuring) b.bytes += frameBytes('stream:command', c);
    b.follower.command(c);
  });
  socket.on('stream:proof', (p) => {
    if (measuring) b.bytes += frameBytes('stream:proof', p);
    const o = b.follower.proof(p);
    if (o === 'agree') agreed++;
    else if (o === 'mismatch') mismatches++;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  // A join that gets no answer in 30 s counts as failed (an overloaded machine), not a hang.
  const r = await new Promise<{ ok: boolean; playerToken?: string; error?: { message: string } }>(
    (resolve) => {
      const t = setTimeout(() => resolve({ ok: false, error: { message: 'no answer in 30 s' } }), 30_000);
      socket.emit('player:join', { roomCode: s.roomCode, nickname: s.name }, (res: { ok: boolean }) => {
        clearTimeout(t);
        resolve(res);
      });
    },
  );
  if (!r.ok) throw new Error(`join refused: ${r.error?.message}`);
  // As the browser does: every new connection resumes with the token (the server retries are ours).
  if (init.resume)
    socket.on('connect', () => {
      const again = (): void =>
        void socket.emit(
          'player:resume',
          { roomCode: s.roomCode, playerToken: r.playerToken },
          (res: { ok: boolean }) => {
            if (!res.ok) setTimeout(again, 200);
          },
        );
      again();
    });
  bots.push(b);
  return performance.now() - t0;
}

async function joinAll(): Promise<{ joinMs: number[]; failed: number; why: string[] }> {
  const joinMs: number[] = [];
  let failed = 0;
  const why = new Set<string>();
  const queue = [...init.students];
  // A class does not join in one instant: a few dozen at a time.
  await Promise.all(
    Array.from({ length: 25 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          joinMs.push(await joinOne(s));
        } catch (e) {
          failed++;
          why.add(e instanceof Error ? e.message : String(e));
        }
      }
    }),
  );
  return { joinMs, failed, why: [...why].slice(0, 3) };
}

let windowStart = 0;
process.on('message', (m: { cmd: string }) => {
  const send = (x: object): void => void process.send!(x);
  if (m.cmd === 'join') {
    void joinAll().then((r) => send({ type: 'joined', ...r }));
  } else if (m.cmd === 'measure-start') {
    for (const b of bots) b.ticks = b.bytes = b.longestSilence = 0;
    latencies = [];
    ackLatencies = [];
    actions = refused = mismatches = gaps = agreed = 0;
    measuring = true;
    windowStart = performance.now();
    send({ type: 'measuring' });
  } else if (m.cmd === 'measure-stop') {
    measuring = false;
    const seconds = (performance.now() - windowStart) / 1000;
    send({
      type: 'stats',
      seconds,
      rates: bots.map((b) => b.ticks / seconds),
      silences: bots.map((b) => [
        b.roomCode,
        Math.max(b.longestSilence, performance.now() - Math.max(b.lastTickAt, windowStart)),
      ]),
      bytesPerSecond: bots.map((b) => b.bytes / seconds),
      latencies,
      ackLatencies,
      actions,
      refused,
      agreed,
      mismatches,
      gaps,
      sample,
    });
  } else if (m.cmd === 'exit') {
    for (const b of bots) b.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready' });
