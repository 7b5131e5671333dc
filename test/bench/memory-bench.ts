import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { io as connect } from 'socket.io-client';
import { studentNames } from './loadtest/student-names.ts';
import type { BaselineServer } from './loadtest/baseline-server.ts';
import { heapOwners } from './heap-owners.ts';

/**
 * Memory per connection (a benchmark: it prints figures and asserts nothing).
 *
 *   npm run bench:memory -- [--students 1000] [--steps 4] [--repeat 1] [--procs P] [--snapshot]
 *                           [--servers ours,socketio,ws] [--compare-dir DIR]
 *
 * For each server, in its own process, one after the other in the same run: ours (SQLite store in a
 * temporary folder; --students generated students join one room from generator processes, the load
 * test's, which follow the tick stream), the bare Socket.IO server of the load test (the same clients
 * join its one room) and the plain `ws` server (the same number of bare websockets). Only the server's
 * memory is measured (ours with the settings `npm start` reads from the environment): idle, after each of `--steps` equal batches of joins, and again after 5 s of play
 * (our game running, or the baseline broadcasting a tick-sized message every 100 ms). At each point it
 * collects garbage and reads the heap (used, and what V8 holds for it), the memory outside it that V8
 * knows of, the RSS and its anonymous part (RssAnon: the RSS without the binary's and libraries' pages,
 * which grow as code runs the first time, not per connection).
 *
 * Two figures per connection: beyond the idle server (what issue 9 asks; it includes what the first
 * connections cost once: code compiled on the way, V8's young generation grown to its working size,
 * caches and pools filling up), and the slope, a least-squares line through the points after each batch
 * (the cost of one more connection, without those one-off costs). "Anonymous RSS beyond the heap" is
 * the slope of RssAnon minus V8's held heap: malloc (Node's and the addons' native objects, buffers) and
 * the allocator's pages. `--repeat R` runs the whole list R times, every other time in the reverse order,
 * and prints each run and the medians. `--compare-dir DIR` adds our server from another checkout (DIR: the old code) in the same
 * run. With --snapshot it also writes heap snapshots, idle, joined and playing, and prints what joining (and then
 * 5 s of play) added by owner (the nearest of the connection's parts, or our rooms, that alone keeps it: heap-owners.ts) and
 * by constructor (the snapshots themselves take memory: read the RSS from a run without --snapshot).
 */
const { values: opt } = parseArgs({
  options: {
    students: { type: 'string', default: '1000' },
    steps: { type: 'string', default: '4' },
    repeat: { type: 'string', default: '1' },
    procs: { type: 'string' },
    snapshot: { type: 'boolean', default: false },
    servers: { type: 'string', default: 'ours,socketio,ws' },
    'compare-dir': { type: 'string' },
    /** Internal: measure this one server in this process (ours from `root`, or a baseline). */
    server: { type: 'string' },
    root: { type: 'string' },
  },
});
const students = Number(opt.students);
const steps = Math.max(2, Number(opt.steps));
/** Generator processes per batch of joins (the load test's: about 500 students each). */
const procs = Math.max(1, Number(opt.procs ?? Math.ceil(students / steps / 500)));
type Kind = 'ours' | 'socketio' | 'ws';

interface Mem {
  heap: number;
  /** What V8 holds from the system for its heap (used or not): part of the RSS. */
  heapTotal: number;
  /** Memory V8 knows of outside its heap (array buffers and other native objects that report it). */
  external: number;
  rss: number;
  /** What V8 holds for its young generation (grows with the allocation rate, up to --max-semi-space-size). */
  newSpace: number;
  /**
   * The anonymous RSS by kind of mapping (Linux): glibc's main malloc arena (`[heap]`), its other arenas
   * (64 MB-aligned heaps of 64 MB, one per thread that mallocs, up to MALLOC_ARENA_MAX) and the rest (V8's
   * pages, large mallocs, stacks).
   */
  anon: { mainArena: number; threadArenas: number; other: number };
  /** The RSS without file-backed pages (node's binary and libraries, paged in as code first runs). */
  rssAnon: number;
}
/** The anonymous RSS by kind of mapping, from /proc/self/smaps (zeros where there is none). */
function anonymousParts(): Mem['anon'] {
  const out = { mainArena: 0, threadArenas: 0, other: 0 };
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return out;
  }
  const ARENA = 64 * 1024 * 1024;
  let kind: keyof typeof out | null = null;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const start = parseInt(head[1]!, 16);
      const [inode, name] = [head[4]!, head[5]!];
      if (name === '[heap]') kind = 'mainArena';
      else if (inode !== '0' || name !== '') kind = null;
      else kind = start % ARENA === 0 ? 'threadArenas' : 'other';
      continue;
    }
    const anon = /^Anonymous:\s+(\d+) kB/.exec(line);
    if (anon && kind) out[kind] += Number(anon[1]) * 1024;
  }
  return out;
}

/** RssAnon from /proc (Linux); the whole RSS elsewhere. */
function rssAnon(fallback: number): number {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : fallback;
  } catch {
    return fallback;
  }
}
function measure(): Mem {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  return {
    heap: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    rss: m.rss,
    newSpace,
    anon: anonymousParts(),
    rssAnon: rssAnon(m.rss),
  };
}

/** Self size by node name (constructor, or the kind of a string/array/code) in a heap snapshot. */
function bySize(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = f.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((n) => f.indexOf(n));
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType!]!]!;
    const name =
      type === 'object' || type === 'closure'
        ? `${snap.strings[snap.nodes[i + iName!]!]} (${type})`
        : `(${type})`;
    const e = out.get(name) ?? { size: 0, count: 0 };
    e.size += snap.nodes[i + iSize!]!;
    e.count++;
    out.set(name, e);
  }
  return out;
}

function snapshotAt(label: string): string | null {
  if (!opt.snapshot) return null;
  measure();
  return v8.writeHeapSnapshot(
    path.join(os.tmpdir(), `lemonscale-memory-${process.pid}-${label}.heapsnapshot`),
  );
}

/** What the joins added between two snapshots, per connection, largest first. */
function printAdded(
  title: string,
  before: Map<string, { size: number; count: number }>,
  after: Map<string, { size: number; count: number }>,
  n: number,
  top: number,
): void {
  const rows = [...after].map(([k, v]) => ({
    k,
    size: v.size - (before.get(k)?.size ?? 0),
    count: v.count - (before.get(k)?.count ?? 0),
  }));
  rows.sort((x, y) => y.size - x.size);
  console.log(`\n${title}`);
  for (const r of rows.slice(0, top))
    console.log(
      `${(r.size / 1024 / n).toFixed(2).padStart(7)} KB per connection  ${(r.count / n).toFixed(1).padStart(6)} objects  ${r.k}`,
    );
  const total = rows.reduce((a, r) => a + r.size, 0);
  console.log(`${(total / 1024 / n).toFixed(2).padStart(7)} KB per connection in all`);
}

/** What one server's process measured (sent to the parent). */
interface Result {
  label: string;
  connections: number;
  idle: Mem;
  /** After each batch of joins: connections so far, memory. */
  points: { connections: number; mem: Mem }[];
  joined: Mem;
  playing: Mem;
}

/** A server of this kind in this process: where clients connect, the room they join, and how play starts. */
interface Measured {
  url: string;
  roomCode: string;
  play(): Promise<void>;
  close(): Promise<void>;
}

/** A tick message of a running room (the baselines broadcast one of this size). */
const TICK_SAMPLE = {
  v: 1,
  from: 1200,
  to: 1201,
  seqFrom: 1040,
  seqTo: 1040,
  entries: [],
  paused: false,
  speed: 1,
};

async function startOurs(root: string): Promise<Measured> {
  const load = (file: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(path.join(root, file)).href) as Promise<Record<string, unknown>>;
  const { startServer } = (await load('server/server.ts')) as typeof import('../../server/server.ts');
  // The server's settings from the environment (as `npm start` reads them: LEMONSCALE_STORE=memory, …).
  const { loadConfig } = (await load('server/config.ts')) as typeof import('../../server/config.ts');
  const { createLogger } = (await load('server/logging.ts')) as typeof import('../../server/logging.ts');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-memory-'));
  const server = await startServer(
    {
      ...loadConfig(process.env, []),
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'error',
      clientDir: path.join(dataDir, 'no-client'),
      joinAttemptsPerMinute: 1_000_000,
      // Every measured connection comes from 127.0.0.1.
      connectionsPerAddress: 1_000_000,
    },
    { logger: createLogger('error') },
  );
  const teacher = connect(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const created = await new Promise<{ roomCode: string }>((resolve) =>
    teacher.emit(
      'room:create',
      { scenarioId: 'lemonade-week', seed: 1, settings: { speed: 1, maxPlayers: Math.min(5000, students) } },
      resolve as (r: unknown) => void,
    ),
  );
  return {
    url: server.url,
    roomCode: created.roomCode,
    play: () =>
      new Promise<void>((resolve) => teacher.emit('teacher:action', { type: 'start' }, () => resolve())),
    async close() {
      teacher.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A baseline server, imported only in its own child: a child measuring our server (of this checkout or
 * of `--compare-dir`'s) then loads one copy of Socket.IO, Engine.IO and ws, its own. With the baselines
 * imported up front, the `--compare-dir` child also held this checkout's copies, started 9-15 MB bigger,
 * and came out several KB per student smaller "beyond idle" than the same code measured from its own
 * checkout (docs/performance.md, eighth round).
 */
async function startBaseline(
  kind: 'socketio' | 'ws',
  sample: object,
  everyMs: number,
): Promise<BaselineServer> {
  if (kind === 'ws')
    return (await import('./loadtest/baseline-ws-server.ts')).startWsBaseline(sample, everyMs);
  return (await import('./loadtest/baseline-server.ts')).startSocketIoBaseline(sample, everyMs);
}

function baseline(server: BaselineServer): Measured {
  return {
    url: server.url,
    roomCode: 'BASE',
    play: async () => server.broadcast(),
    close: () => server.close(),
  };
}

/** One server, measured in this process. */
async function measureOne(kind: Kind, root: string, label: string): Promise<Result> {
  const server =
    kind === 'ours' ? await startOurs(root) : baseline(await startBaseline(kind, TICK_SAMPLE, 100));
  await new Promise((r) => setTimeout(r, 500));
  const idle = measure();
  const idleSnap = snapshotAt('idle');

  const gens: ChildProcess[] = [];
  const reply = (g: ChildProcess, type: string): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const on = (m: Record<string, unknown>): void => {
        if (m.type !== type) return;
        g.off('message', on);
        resolve(m);
      };
      g.on('message', on);
    });
  /** These students join from their own generator processes; resolves with how many got in. */
  const join = async (names: string[]): Promise<number> => {
    const lists: { roomCode: string; name: string }[][] = Array.from({ length: procs }, () => []);
    names.forEach((name, k) => lists[k % procs]!.push({ roomCode: server.roomCode, name }));
    const batch = lists.map((l) =>
      fork(
        path.join(import.meta.dirname, 'loadtest/generator.ts'),
        [
          JSON.stringify({
            url: server.url,
            mode: kind,
            students: l,
            actEverySeconds: 0,
            viewIntervalMs: 100,
          }),
        ],
        { execArgv: ['--import', 'tsx'] },
      ),
    );
    gens.push(...batch);
    await Promise.all(batch.map((g) => reply(g, 'ready')));
    const joined = await Promise.all(
      batch.map((g) => {
        const r = reply(g, 'joined');
        g.send({ cmd: 'join' });
        return r;
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    return joined.reduce((a, j) => a + (j.joinMs as number[]).length, 0);
  };
  // In batches: the slope through the points after each is the cost of one more connection, without what
  // the first connections cost once (code compiled on the way, caches and pools that fill up to their size).
  const names = studentNames(students);
  const points: Result['points'] = [];
  let n = 0;
  for (let k = 0; k < steps; k++) {
    n += await join(
      names.slice(Math.floor((k * students) / steps), Math.floor(((k + 1) * students) / steps)),
    );
    points.push({ connections: n, mem: measure() });
  }
  const afterJoin = points[points.length - 1]!.mem;
  const joinSnap = snapshotAt('joined');
  await server.play();
  await new Promise((r) => setTimeout(r, 5000));
  const playing = measure();
  const playSnap = snapshotAt('playing');

  if (idleSnap && joinSnap) {
    printAdded(
      `${label}: what joining added, by owner (heap snapshots before and after the joins, heap-owners.ts):`,
      heapOwners(idleSnap),
      heapOwners(joinSnap),
      n,
      30,
    );
    printAdded(`${label}: what joining added, by constructor:`, bySize(idleSnap), bySize(joinSnap), n, 25);
    if (playSnap) {
      printAdded(
        `${label}: what 5 s of play added to the joined server, by owner:`,
        heapOwners(joinSnap),
        heapOwners(playSnap),
        n,
        20,
      );
      printAdded(
        `${label}: what 5 s of play added, by constructor:`,
        bySize(joinSnap),
        bySize(playSnap),
        n,
        20,
      );
      fs.rmSync(playSnap, { force: true });
    }
    fs.rmSync(idleSnap, { force: true });
    fs.rmSync(joinSnap, { force: true });
  }
  for (const g of gens) g.send({ cmd: 'exit' });
  await Promise.all(gens.map((g) => new Promise((r) => g.once('exit', r))));
  await server.close();
  return {
    label,
    connections: n,
    idle,
    points,
    joined: afterJoin,
    playing,
  };
}

if (opt.server) {
  // A child: one server, its figures to the parent.
  const kind = opt.server as Kind;
  const result = await measureOne(kind, opt.root ?? path.resolve(import.meta.dirname, '../..'), opt.server);
  process.send!(result);
  process.exit(0);
}

/** Each server in its own process, so that none inherits another's heap. */
function runChild(kind: Kind, root: string | null, label: string): Promise<Result> {
  const args = [
    '--server',
    kind,
    '--students',
    String(students),
    '--steps',
    String(steps),
    '--procs',
    String(procs),
  ];
  if (root) args.push('--root', root);
  if (opt.snapshot) args.push('--snapshot');
  const child = fork(import.meta.filename, args, { execArgv: ['--expose-gc', '--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (r: Result) => resolve({ ...r, label }));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${label}: exited ${code}`))));
  });
}

const runs: { kind: Kind; root: string | null; label: string }[] = (opt.servers.split(',') as Kind[]).map(
  (kind) => ({
    kind,
    root: null,
    label: kind === 'ours' ? 'ours' : kind === 'ws' ? 'plain ws' : 'bare Socket.IO',
  }),
);
if (opt['compare-dir'])
  runs.splice(1, 0, {
    kind: 'ours',
    root: path.resolve(opt['compare-dir']),
    label: `ours (${path.basename(path.resolve(opt['compare-dir']))})`,
  });

/** Bytes per connection: the least-squares slope of one figure over the points after each batch. */
function slope(r: Result, k: (m: Mem) => number): number {
  const xs = r.points.map((p) => p.connections);
  const ys = r.points.map((p) => k(p.mem));
  const mx = xs.reduce((a, x) => a + x, 0) / xs.length;
  const my = ys.reduce((a, y) => a + y, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}
/** The figures of one run of one server, in KB per connection. */
function figures(r: Result): number[] {
  const beyond = (m: Mem, k: Exclude<keyof Mem, 'anon'>): number =>
    (m[k] - r.idle[k]) / 1024 / Math.max(1, r.connections);
  const per = (k: (m: Mem) => number): number => slope(r, k) / 1024;
  return [
    beyond(r.joined, 'heap'),
    beyond(r.joined, 'heapTotal'),
    beyond(r.joined, 'newSpace'),
    beyond(r.joined, 'rss'),
    beyond(r.joined, 'rssAnon'),
    per((m) => m.heap),
    per((m) => m.heapTotal),
    per((m) => m.rssAnon - m.heapTotal),
    per((m) => m.rssAnon),
    per((m) => m.rss),
    beyond(r.playing, 'heap'),
    beyond(r.playing, 'rss'),
    ...(['mainArena', 'threadArenas', 'other'] as const).map(
      (k) => (r.joined.anon[k] - r.idle.anon[k]) / 1024 / Math.max(1, r.connections),
    ),
    r.idle.rssAnon / 1024 / 1024,
    r.joined.rssAnon / 1024 / 1024,
  ];
}
const HEADER =
  '| server | connected | beyond idle, joined: heap used / heap held (of which young generation) / RSS / RssAnon | ' +
  'slope: heap used / heap held / anonymous RSS beyond the heap / RssAnon / RSS | beyond idle, playing 5 s: heap used / RSS | ' +
  'anonymous RSS beyond idle, joined: main malloc arena / other malloc arenas / the rest (V8 pages, …) | ' +
  'RssAnon idle → joined (MB) |';
const row = (label: string, connections: string, f: number[]): string => {
  const k = (i: number): string => f[i]!.toFixed(1);
  return (
    `| ${label} | ${connections} | ${k(0)} / ${k(1)} (${k(2)}) / ${k(3)} / ${k(4)} KB | ` +
    `${k(5)} / ${k(6)} / ${k(7)} / ${k(8)} / ${k(9)} KB | ${k(10)} / ${k(11)} KB | ${k(12)} / ${k(13)} / ${k(14)} KB | ${k(15)} → ${k(16)} |`
  );
};

const started = new Date().toISOString();
const load = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadAtStart = load();
const results: Result[] = [];
// Every other repetition in the reverse order: the server measured first in a run often showed a few KB
// more RSS per connection beyond idle than the same code measured later (seen both ways round).
for (let rep = 0; rep < Math.max(1, Number(opt.repeat)); rep++)
  for (const r of rep % 2 ? [...runs].reverse() : runs) results.push(await runChild(r.kind, r.root, r.label));

console.log(
  `\nMemory per connection (KB), after GC: ${students} clients in one room joining in ${steps} batches, ${started}, ` +
    `node ${process.version}, load average at the start ${loadAtStart}, at the end ${load()}`,
);
console.log(HEADER);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) console.log(row(r.label, String(r.connections), figures(r)));
if (results.length > runs.length) {
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  console.log(`\nMedians of ${Number(opt.repeat)} runs each:`);
  console.log(HEADER);
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of runs) {
    const mine = results.filter((x) => x.label === r.label).map(figures);
    const med = mine[0]!.map((_, i) => median(mine.map((f) => f[i]!)));
    const conns = results.filter((x) => x.label === r.label).map((x) => x.connections);
    console.log(row(r.label, `${Math.min(...conns)}-${Math.max(...conns)}`, med));
  }
}
process.exit(0);
