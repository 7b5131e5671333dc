import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import pg from 'pg';
import { Redis } from 'ioredis';
import {
  coreShare,
  formatThreadShares,
  sampleProc,
  sampleThreads,
  threadShares,
  type ProcSample,
} from './loadtest/proc-stats.ts';
import { studentNames } from './loadtest/student-names.ts';
import { startCluster, type RunningCluster } from '../../server/cluster/launcher.ts';
import { freePorts } from '../integration/free-ports.ts';
import { takeoverPhases } from '../../server/cluster/cluster-rooms.ts';
import { DEFAULT_LEASE_MS } from '../../server/config.ts';

/**
 * Server load test (a benchmark, not a test: it prints figures and asserts nothing).
 *
 *   npm run loadtest -- --rooms 1 --students 1000 [--seconds 20] [--procs 2] [--act-every 5] [--no-baseline]
 *                       [--compare-env GROUP_COMMIT_MS=0]   (our server again with these settings, same run)
 *                       [--compare-dir DIR]                 (our server again from another checkout, same run)
 *                       [--compare-act-every 0]             (our server again, students acting that often, same run)
 *                       [--acting-baseline]                 (also bare Socket.IO acknowledging as many purchases)
 *                       [--server built|tsx]                (our server as `npm start` runs it, built, or its sources through tsx)
 *                       [--compare-server built|tsx]        (the same for the compared run; default: as --server)
 *                       [--compared-first]                  (the compared run before ours)
 *                       [--generator-nice 10]               (the generators' niceness; 0: the server's)
 *   npm run loadtest -- --nodes 3 --rooms 100 --students 30 [--no-compare] [--no-failover]
 *
 * With --nodes N the same students and teachers go through HAProxy to N server processes on Redis and
 * PostgreSQL (cluster mode, as `npm run cluster` starts them; rooms land on processes round-robin, and a
 * student's connection on any process): it prints each process's CPU, then the same load on 1 process
 * behind the balancer and the throughput ratio (--no-compare skips it), then kills the process owning
 * the most rooms mid-run and prints how long students waited for their room's next tick (the failover
 * gap; --no-failover skips it). Baselines are not run in cluster mode.
 *
 * Starts the server as a child process on 127.0.0.1, a teacher per room (in this process), and scripted
 * students (--students per room, up to 5,000) spread over generator processes (--procs, default one per
 * 500 students). Each student follows their business from the tick stream as the browser does. Measures
 * join time, tick messages per second each student received, the delay from a teacher's event to the
 * student's own business applying it, bytes per second per student, and the server's CPU and memory per
 * connected student beyond the idle process. Then, in the same run, the same clients against (a) a bare
 * Socket.IO server broadcasting a message of the same size to one room at the same rate and (b) a plain
 * `ws` server writing one pre-built frame to every client, and prints our CPU per delivered tick message
 * as a ratio to each. Everything is bounded in time and stops by itself.
 */
const { values: opt } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1' },
    students: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '20' },
    procs: { type: 'string' },
    'act-every': { type: 'string', default: '5' },
    'event-every': { type: 'string', default: '2' },
    'no-baseline': { type: 'boolean', default: false },
    /** Also a bare Socket.IO baseline whose clients send (and it acknowledges) as many purchases as ours did. */
    'acting-baseline': { type: 'boolean', default: false },
    /** Runs our server a second time with these environment settings (KEY=VALUE,...), e.g. GROUP_COMMIT_MS=0. */
    'compare-env': { type: 'string' },
    /** Runs our server a second time from another checkout (the old code), same run: `--compare-dir /tmp/old`. */
    'compare-dir': { type: 'string' },
    /** The compared run's students act every this many seconds (0: nobody buys), same run: what purchases cost. */
    'compare-act-every': { type: 'string' },
    /**
     * How our server runs: `built` (default: as `npm start`, scripts/build-server.mjs's dist/server/main.js,
     * built first in the checkout that runs it) or `tsx` (server/main.ts through tsx, as `npm run dev`
     * and main before the build step). `--compare-server` is the compared run's (default: --server's).
     */
    server: { type: 'string', default: 'built' },
    'compare-server': { type: 'string' },
    /** The compared run first, then ours (both orders in alternate runs: the second often costs a little more). */
    'compared-first': { type: 'boolean', default: false },
    /**
     * The generator processes' niceness (default 10; 0: as the server). Where the generators share the
     * cores with the server (this 2-core machine), an equal share lets them preempt the server in the
     * middle of its ticks: its timers fire late, ticks merge, and fewer, costlier messages go out (40 x
     * 50 here: 6.5-6.9 messages a second at equal priority, 10 at nice 10). The server under test comes
     * first; the students lag instead, which the event delay then shows. With spare cores it changes nothing.
     */
    'generator-nice': { type: 'string', default: '10' },
    nodes: { type: 'string' },
    'no-compare': { type: 'boolean', default: false },
    'no-failover': { type: 'boolean', default: false },
  },
});
// Cluster mode: N processes behind HAProxy on Redis and PostgreSQL (npm run cluster's launcher).
const nodes = opt.nodes === undefined ? 0 : Number(opt.nodes);
const rooms = Number(opt.rooms);
const perRoom = Number(opt.students);
const seconds = Number(opt.seconds);
const total = rooms * perRoom;
const procs = Math.max(1, Math.min(32, Number(opt.procs ?? Math.ceil(total / 500))));
let actEvery = Number(opt['act-every']);
type ServerMode = 'built' | 'tsx';
function serverMode(text: string): ServerMode {
  if (text !== 'built' && text !== 'tsx')
    throw new Error(`--server and --compare-server take built or tsx, not "${text}"`);
  return text;
}
const firstServer = serverMode(opt.server);
const compareServer = serverMode(opt['compare-server'] ?? opt.server);
const eventEvery = Number(opt['event-every']);
const generatorNice = Number(opt['generator-nice']);
// Lowering priority needs no privilege; 19 is the lowest there is.
if (!Number.isInteger(generatorNice) || generatorNice < 0 || generatorNice > 19)
  throw new Error(`--generator-nice takes a whole number from 0 to 19, not "${opt['generator-nice']}"`);
/** How many students the probe generator (at the server's priority) follows when the rest are niced. */
const PROBE_STUDENTS = 40;
const VIEW_INTERVAL_MS = 100;
const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

const guard = setTimeout(
  () => {
    console.error('load test took too long; stopping');
    stopAll();
    process.exit(2);
  },
  // Cluster mode runs N processes, then 1, then a failover: three runs.
  (seconds * 3 + 240) * 1000 * (opt.nodes === undefined ? 1 : 3),
);

function stopAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  // A cluster's processes and balancer too (they are the launcher's children, not in `children`).
  if (activeCluster)
    for (const c of [...activeCluster.nodes.map((n) => n.child), activeCluster.balancer])
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
let activeCluster: RunningCluster | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
process.on('exit', stopAll);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();

/** `node` arguments that run a TypeScript file through tsx (the baselines; our server with --server tsx). */
const throughTsx = (file: string, ...args: string[]): string[] => ['--import', 'tsx', file, ...args];

/**
 * `node` arguments that run our server in checkout `dir` as `npm start` does: built first
 * (scripts/build-server.mjs; a checkout without it cannot run built: use --server tsx or
 * --compare-server tsx), then dist/server/main.js.
 */
function serverArgs(mode: ServerMode, dir: string): string[] {
  if (mode === 'tsx') return throughTsx('server/main.ts');
  const script = path.join(dir, 'scripts/build-server.mjs');
  if (!fs.existsSync(script))
    throw new Error(
      `${dir} has no scripts/build-server.mjs: run its server with --compare-server tsx (or --server tsx)`,
    );
  execFileSync(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return ['--enable-source-maps', 'dist/server/main.js'];
}

function startChild(
  args: string[],
  env: Record<string, string>,
  cwd = root,
): Promise<{ child: ChildProcess; url: string }> {
  // LOADTEST_NODE_ARGS (e.g. "--cpu-prof") go to the server processes, for profiling; with
  // LOADTEST_SERVER_OUT=PREFIX each server's standard output is also copied to PREFIX.<pid> (what
  // "--trace-opt --trace-deopt" or "--trace-gc" print).
  const extra = (process.env.LOADTEST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const copy = process.env.LOADTEST_SERVER_OUT
      ? fs.createWriteStream(`${process.env.LOADTEST_SERVER_OUT}.${child.pid}`)
      : null;
    child.stdout!.on('data', (d: Buffer) => {
      copy?.write(d);
      out += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${out}`)));
  });
}

interface GenStats {
  seconds: number;
  rates: number[];
  /** Each student's room and longest wait for a tick message in the window (ms). */
  silences: [string, number][];
  bytesPerSecond: number[];
  latencies: number[];
  /** Purchase emitted -> acknowledged, ms (our server only). */
  ackLatencies: number[];
  actions: number;
  refused: number;
  agreed: number;
  mismatches: number;
  gaps: number;
  sample: object | null;
}

type Mode = 'ours' | 'socketio' | 'ws';

class Generator {
  readonly child: ChildProcess;
  readonly students: number;
  private waiting = new Map<string, (m: Record<string, unknown>) => void>();
  constructor(
    url: string,
    mode: Mode,
    students: { roomCode: string; name: string }[],
    purchasesPerMessage: number,
    nice: number,
  ) {
    this.students = students.length;
    this.child = fork(
      path.join(import.meta.dirname, 'loadtest/generator.ts'),
      [
        JSON.stringify({
          url,
          mode,
          students,
          actEverySeconds: actEvery,
          viewIntervalMs: VIEW_INTERVAL_MS,
          resume: nodes > 0,
          purchasesPerMessage,
        }),
      ],
      { execArgv: ['--import', 'tsx'], cwd: root },
    );
    children.push(this.child);
    // Lowering a child's own priority needs no privilege (raising it back would).
    if (nice !== 0 && this.child.pid !== undefined) os.setPriority(this.child.pid, nice);
    this.child.on('message', (m: Record<string, unknown>) => {
      const w = this.waiting.get(m.type as string);
      this.waiting.delete(m.type as string);
      w?.(m);
    });
  }
  request<T>(cmd: string | null, reply: string): Promise<T> {
    const p = new Promise<T>((resolve) => this.waiting.set(reply, resolve as (m: unknown) => void));
    if (cmd) this.child.send({ cmd });
    return p;
  }
}

async function startGenerators(
  url: string,
  mode: Mode,
  codes: string[],
  purchasesPerMessage = 0,
): Promise<Generator[]> {
  const lists: { roomCode: string; name: string }[][] = Array.from({ length: procs }, () => []);
  // With niced generators, a few students spread over the rooms go to one more process at the
  // server's priority (the probe, the last generator): their event delay is not their own lag.
  const probe: { roomCode: string; name: string }[] = [];
  const every = Math.max(1, Math.ceil((codes.length * perRoom) / PROBE_STUDENTS));
  let i = 0;
  const names = studentNames(perRoom);
  for (const roomCode of codes)
    for (const name of names) {
      if (generatorNice !== 0 && i % every === every - 1) probe.push({ roomCode, name });
      else lists[i % procs]!.push({ roomCode, name });
      i++;
    }
  if (probe.length > 0) lists.push(probe);
  // A small class may all be in the probe: no process for an empty list.
  const gens = lists
    .filter((l) => l.length > 0)
    .map((l) => new Generator(url, mode, l, purchasesPerMessage, l === probe ? 0 : generatorNice));
  await Promise.all(gens.map((g) => g.request(null, 'ready')));
  return gens;
}

function pct(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** The server's processes: one, or a cluster's processes and its balancer. */
interface ServerProcs {
  pids(): { name: string; pid: number }[];
}

/** Samples of every server process; a process that died meanwhile counts what it used until then. */
function sampleAll(procs: { name: string; pid: number }[]): Map<string, ProcSample> {
  const out = new Map<string, ProcSample>();
  for (const p of procs) {
    try {
      out.set(p.name, sampleProc(p.pid));
    } catch {
      // exited
    }
  }
  return out;
}

function sumSample(m: Map<string, ProcSample>): ProcSample {
  let cpuSeconds = 0;
  let rssMb = 0;
  let at = 0;
  for (const s of m.values()) {
    cpuSeconds += s.cpuSeconds;
    rssMb += s.rssMb;
    at = s.at;
  }
  return { cpuSeconds, rssMb, at };
}

/**
 * LOADTEST_MEASURE_PROFILER="perf record -e cpu-clock:u -g -o /tmp/p.%p.data -p %p": a command run over
 * the measured window only (%p: the server's pid), stopped with SIGINT when it ends. A sampling profiler
 * of user CPU (perf's `cpu-clock:u`) leaves out what `--cpu-prof`'s wall-time samples count: the commit's
 * fsync wait and the kernel's side of the writes. Give the server `--perf-prof
 * --interpreted-frames-native-stack` in LOADTEST_NODE_ARGS and run `perf inject --jit` on the data so
 * perf names the JIT's functions (`--perf-basic-prof` names the wrong ones: code addresses are reused
 * after collections; docs/performance.md, "Ninth round").
 */
function startMeasureProfiler(pid: number): { stop(): Promise<void> } | null {
  const template = process.env.LOADTEST_MEASURE_PROFILER;
  if (!template) return null;
  const [cmd, ...args] = template.replaceAll('%p', String(pid)).split(' ').filter(Boolean);
  const child = spawn(cmd!, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/** The embedded store's transaction counters from /health (null: a server that does not report them). */
async function storeCommits(url: string): Promise<{ transactions: number; writes: number } | null> {
  try {
    const h = (await (await fetch(`${url}/health`)).json()) as {
      store?: { transactions: number; writes: number };
    };
    return h.store ?? null;
  } catch {
    return null;
  }
}

async function measure(
  gens: Generator[],
  server: ServerProcs,
  during: () => Promise<void>,
): Promise<{
  stats: GenStats[];
  server: [ProcSample, ProcSample];
  perProcess: { name: string; cores: number }[];
  gens: number;
  /** The first server process's CPU by thread (main thread user and system, V8's workers, the rest). */
  threads: string;
}> {
  await Promise.all(gens.map((g) => g.request('measure-start', 'measuring')));
  const first = server.pids()[0]!.pid;
  const profiler = startMeasureProfiler(first);
  const threads0 = sampleThreads(first);
  const before = sampleAll(server.pids());
  const g0 = gens.map((g) => sampleProc(g.child.pid!));
  await during();
  const after = sampleAll(server.pids());
  await profiler?.stop();
  let threads = '';
  try {
    threads = formatThreadShares(threadShares(first, threads0, sampleThreads(first)));
  } catch {
    threads = 'the process ended';
  }
  const g1 = gens.map((g) => sampleProc(g.child.pid!));
  const stats = await Promise.all(gens.map((g) => g.request<GenStats>('measure-stop', 'stats')));
  const genCores = g0.reduce((n, a, i) => n + coreShare(a, g1[i]!), 0);
  const perProcess = [...after].flatMap(([name, b]) => {
    const a = before.get(name);
    return a ? [{ name, cores: coreShare(a, b) }] : [];
  });
  const common = [...after.keys()].filter((k) => before.has(k));
  const pick = (m: Map<string, ProcSample>) => new Map(common.map((k) => [k, m.get(k)!]));
  return {
    stats,
    server: [sumSample(pick(before)), sumSample(pick(after))],
    perProcess,
    gens: genCores,
    threads,
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const perMessage = (cpu: number, delivered: number): number => (cpu * 1e6) / delivered; // CPU us per delivered message

interface Target extends ServerProcs {
  url: string;
  cluster: RunningCluster | null;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (for the balancer; the processes take the ports after it). */
const LIMITS = {
  LOG_LEVEL: 'warn',
  JOIN_ATTEMPTS_PER_MINUTE: '1000000',
  ADDRESS_ATTEMPTS_PER_MINUTE: '1000000',
  // All generated students come from one address without device ids.
  FAILED_JOINS_PER_MINUTE: '1000000',
  ADDRESS_FAILED_JOINS_PER_MINUTE: '1000000',
  ROOMS_PER_MINUTE: '100000',
  MAX_ROOMS: String(rooms + 10),
  ROOMS_PER_ADDRESS: String(rooms + 1),
  // Every generated student's connection comes from this one address.
  CONNECTIONS_PER_ADDRESS: '1000000',
};

/** One server process (SQLite), or `n` processes behind HAProxy on Redis and PostgreSQL. */
async function startTarget(
  n: number,
  extraEnv: Record<string, string> = {},
  dir = root,
  mode: ServerMode = firstServer,
): Promise<Target> {
  const args = serverArgs(mode, dir);
  if (n === 0) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-load-'));
    const { child, url } = await startChild(
      args,
      { ...extraEnv, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...LIMITS },
      dir,
    );
    return {
      url,
      cluster: null,
      pids: () => [{ name: 'server', pid: child.pid! }],
      async stop() {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  // Its own PostgreSQL schema and Redis key prefix: other runs and tests sharing the servers see nothing.
  const tag = `lemonscale_load_${process.pid}_${n}`;
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${tag} CASCADE`);
  await admin.query(`CREATE SCHEMA ${tag}`);
  const [port, ...nodePorts] = await freePorts(n + 1);
  const cluster = await startCluster({
    entry: args.map((a) => (a.endsWith('main.ts') || a.endsWith('main.js') ? path.join(dir, a) : a)),
    nodes: n,
    port: port!,
    nodePorts,
    host: '127.0.0.1',
    env: {
      ...extraEnv,
      ...LIMITS,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATABASE_URL: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${tag}`)}`,
      KEY_PREFIX: `${tag}:`,
    },
    // Only what matters: a process that died or could not start, errors. Takeovers are kept for the
    // failover's phases.
    print: (line) => {
      if (line.includes('Took over room ')) takeovers.push(line);
      if (/exited|cannot|rror|ALERT|Took over room|Dropped room|"level":40/.test(line)) console.log(line);
    },
  });
  clusterTag = tag;
  activeCluster = cluster;
  return {
    url: cluster.url,
    cluster,
    pids: () => [
      ...cluster.nodes.map((nd) => ({
        name: nd.child.pid ? `${nd.name}#${nd.child.pid}` : nd.name,
        pid: nd.child.pid!,
      })),
      { name: 'haproxy', pid: cluster.balancer.pid! },
    ],
    async stop() {
      await cluster.stop();
      activeCluster = null;
      await admin.query(`DROP SCHEMA IF EXISTS ${tag} CASCADE`);
      await admin.end();
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const keys = await redis.keys(`${tag}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
let clusterTag = '';
/** The takeover lines the cluster's processes printed (with their phases: takeoverPhases). */
const takeovers: string[] = [];

/** Which process holds each room's lease now (cluster mode), from Redis. */
async function owners(gameIds: string[]): Promise<Map<string, string[]>> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const held = new Map<string, string[]>();
  for (const id of gameIds) {
    const v = await redis.get(`${clusterTag}:room:{${id}}:owner`);
    const node = v === null ? '(none)' : v.slice(0, v.lastIndexOf('|'));
    held.set(node, [...(held.get(node) ?? []), id]);
  }
  redis.disconnect();
  return held;
}

interface RunResult {
  /** The settings this run differed by (--compare-env), or `defaults`. */
  label: string;
  sample: object | null;
  cpu: number;
  delivered: number;
  /** Mean tick messages per student per second. */
  rate: number;
  p99: number;
  /** Student purchases acknowledged per second in the window. */
  purchases: number;
}

async function ours(
  n: number,
  failover: boolean,
  extraEnv: Record<string, string> = {},
  dir = root,
  mode: ServerMode = firstServer,
): Promise<RunResult> {
  const label = [
    mode === 'built' ? 'server built' : 'server through tsx',
    ...Object.entries({
      ...(process.env.GROUP_COMMIT_MS ? { GROUP_COMMIT_MS: process.env.GROUP_COMMIT_MS } : {}),
      ...extraEnv,
    }).map(([k, v]) => `${k}=${v}`),
    ...(dir === root ? [] : [`code of ${dir}`]),
    ...(actEvery === Number(opt['act-every']) ? [] : [`acting every ${actEvery} s`]),
  ].join(' ');
  const target = await startTarget(n, extraEnv, dir, mode);
  const url = target.url;
  const idle = sumSample(sampleAll(target.pids()));
  const teachers: { socket: Socket; roomCode: string; gameId: string }[] = [];
  for (let r = 0; r < rooms; r++) {
    const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    // No answer in 30 s (a machine too busy for this size) ends the run with a message, not a hang.
    const res = await new Promise<{ ok: true; roomCode: string; gameId: string }>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`room:create: no answer in 30 s (room ${r + 1})`)), 30_000);
      socket.emit(
        'room:create',
        {
          scenarioId: 'lemonade-week',
          seed: r + 1,
          settings: { speed: 1, maxPlayers: Math.min(5000, perRoom) },
        },
        (x: { ok: true; roomCode: string; gameId: string }) => {
          clearTimeout(t);
          resolve(x);
        },
      );
    });
    if (!res.ok) throw new Error(`room:create refused: ${JSON.stringify(res)}`);
    teachers.push({ socket, roomCode: res.roomCode, gameId: res.gameId });
  }
  const gens = await startGenerators(
    url,
    'ours',
    teachers.map((t) => t.roomCode),
  );
  const joinStart = performance.now();
  const joined = await Promise.all(
    gens.map((g) => g.request<{ joinMs: number[]; failed: number; why: string[] }>('join', 'joined')),
  );
  const why = [...new Set(joined.flatMap((j) => j.why))];
  const joinAllMs = performance.now() - joinStart;
  const joinMs = joined.flatMap((j) => j.joinMs);
  const failed = joined.reduce((n, j) => n + j.failed, 0);
  const teacherAck = (t: Socket, action: object) =>
    new Promise<{ ok: boolean }>((resolve) => t.emit('teacher:action', action, resolve));
  await sleep(1000);
  const joinedIdle = sumSample(sampleAll(target.pids()));
  await Promise.all(teachers.map((t) => teacherAck(t.socket, { type: 'start' })));
  await sleep(3000); // warm-up: JIT, first messages

  let seq = 0;
  const storeBefore = await storeCommits(url);
  const m = await measure(gens, target, async () => {
    const end = performance.now() + seconds * 1000;
    // No event in the last second: its views would fall outside the window.
    while (performance.now() < end - 1000) {
      seq++;
      for (const [r, t] of teachers.entries())
        void teacherAck(t.socket, {
          type: 'event',
          event: { kind: 'announce', text: `lt ${r}-${seq} ${now().toFixed(1)}` },
        });
      await sleep(Math.min(eventEvery * 1000, Math.max(0, end - performance.now())));
    }
  });
  const storeAfter = await storeCommits(url);
  const rates = m.stats.flatMap((s) => s.rates);
  const bytes = m.stats.flatMap((s) => s.bytesPerSecond);
  const lat = m.stats.flatMap((s) => s.latencies);
  // The probe generator is the last one when the others are niced (startGenerators).
  const probeLat = generatorNice !== 0 ? (m.stats.at(-1)?.latencies ?? []) : lat;
  const actions = m.stats.reduce((n, s) => n + s.actions, 0);
  const agreed = m.stats.reduce((n, s) => n + s.agreed, 0);
  const mismatches = m.stats.reduce((n, s) => n + s.mismatches, 0);
  const gaps = m.stats.reduce((n, s) => n + s.gaps, 0);
  const cpu = coreShare(m.server[0], m.server[1]);
  const expectedLatencySamples = seq * total;
  const delivered = rates.reduce((a, b) => a + b, 0);
  const sample = m.stats.find((s) => s.sample)?.sample ?? null;

  const where = n === 0 ? 'one server process' : `${n} process(es) behind HAProxy (cluster mode)`;
  console.log(
    `\n## Lemonscale server (tick stream)${label ? ` with ${label}` : ''}, ${where}: ${rooms} room(s) x ${perRoom} students = ${total}, ${generatorNice !== 0 ? `${gens.length - 1} generator process(es) at nice ${generatorNice} and a probe at the server's priority` : `${gens.length} generator process(es)`}`,
  );
  console.log(
    `joined: ${joinMs.length}/${total} (${failed} failed) in ${(joinAllMs / 1000).toFixed(1)} s; ` +
      `join p50 ${pct(joinMs, 0.5).toFixed(0)} ms, p99 ${pct(joinMs, 0.99).toFixed(0)} ms` +
      (why.length ? ` (refused: ${why.join('; ')})` : ''),
  );
  console.log(
    `tick messages per student per second (target ${1000 / VIEW_INTERVAL_MS}): mean ${mean(rates).toFixed(2)}, ` +
      `p1 ${pct(rates, 0.01).toFixed(2)}, p50 ${pct(rates, 0.5).toFixed(2)}`,
  );
  console.log(
    `teacher event -> applied in the student's own business: p50 ${pct(lat, 0.5).toFixed(0)} ms, p99 ${pct(lat, 0.99).toFixed(0)} ms, ` +
      `max ${pct(lat, 1).toFixed(0)} ms (${lat.length}/${expectedLatencySamples} seen)`,
  );
  if (generatorNice !== 0)
    console.log(
      `... of the ${gens.at(-1)!.students} students in the probe generator (at the server's priority, the others at nice ${generatorNice}): ` +
        `p50 ${pct(probeLat, 0.5).toFixed(0)} ms, p99 ${pct(probeLat, 0.99).toFixed(0)} ms, max ${pct(probeLat, 1).toFixed(0)} ms`,
    );
  console.log(
    `agreement: ${agreed} proofs agreed, ${mismatches} disagreed, ${gaps} holes in the stream; ` +
      `student actions acknowledged in window: ${actions} (${(actions / seconds).toFixed(0)}/s)`,
  );
  // A purchase's answer: the group-commit window, the store's transaction, the acknowledgement's trip.
  const acks =
    (generatorNice !== 0 ? m.stats.at(-1)?.ackLatencies : m.stats.flatMap((s) => s.ackLatencies)) ?? [];
  if (acks.length > 0)
    console.log(
      `purchase -> acknowledgement${generatorNice !== 0 ? ' (probe)' : ''}: p50 ${pct(acks, 0.5).toFixed(0)} ms, ` +
        `p99 ${pct(acks, 0.99).toFixed(0)} ms (${acks.length} purchases)`,
    );
  if (storeBefore && storeAfter) {
    const tx = storeAfter.transactions - storeBefore.transactions;
    const writes = storeAfter.writes - storeBefore.writes;
    console.log(
      `store: ${(tx / seconds).toFixed(0)} transactions a second (one disk sync each), ` +
        `${tx > 0 ? (writes / tx).toFixed(1) : '-'} rooms' writes in each`,
    );
  }
  console.log(
    `bytes per student per second: mean ${mean(bytes).toFixed(0)}, p99 ${pct(bytes, 0.99).toFixed(0)}; ` +
      `tick message ${sample ? JSON.stringify(sample).length : 0} bytes of JSON`,
  );
  console.log(
    `server memory: RSS ${m.server[1].rssMb.toFixed(0)} MB, idle ${idle.rssMb.toFixed(0)} MB, ` +
      `${(((joinedIdle.rssMb - idle.rssMb) * 1024) / Math.max(1, joinMs.length)).toFixed(1)} KB per connected student (joined, before start), ` +
      `${(((m.server[1].rssMb - idle.rssMb) * 1024) / Math.max(1, joinMs.length)).toFixed(1)} KB while playing`,
  );
  console.log(
    `server CPU: ${(cpu * 100).toFixed(0)}% of one core = ${perMessage(cpu, delivered).toFixed(1)} us per delivered tick message; ` +
      `generators ${(m.gens * 100).toFixed(0)}% of a core in all`,
  );
  console.log(`server CPU by thread${n > 0 ? ' (its first process)' : ''}: ${m.threads}`);
  if (n > 0) {
    console.log(
      `per process CPU: ${m.perProcess.map((p) => `${p.name} ${(p.cores * 100).toFixed(0)}%`).join(', ')}`,
    );
    const held = await owners(teachers.map((t) => t.gameId));
    console.log(`rooms per owner: ${[...held].map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
    console.log(`tick messages delivered per second in all: ${delivered.toFixed(0)}`);
  }

  if (n > 1 && failover && target.cluster) {
    // Kill -9 the process owning the most rooms, mid-run; every student's longest wait for a tick
    // message in the window is the gap they saw (a student whose room did not move waits ~0.1 s).
    const held = await owners(teachers.map((t) => t.gameId));
    const [busiest, itsRooms] = [...held].sort((x, y) => y[1].length - x[1].length)[0]!;
    const victim = target.cluster.nodes.find(
      (nd) => nd.name === busiest || busiest.startsWith(`${nd.name}-`),
    );
    if (!victim) console.log(`failover: no process named ${busiest} to kill`);
    else {
      const moved = new Set(itsRooms.map((id) => teachers.find((t) => t.gameId === id)!.roomCode));
      let killedAt = 0;
      const f = await measure(gens, target, async () => {
        await sleep(1000);
        killedAt = Date.now();
        victim.child.kill('SIGKILL');
        await sleep(Math.max(6000, seconds * 500));
      });
      const all = f.stats.flatMap((st) => st.silences);
      const ofMoved = all.filter(([code]) => moved.has(code)).map(([, ms]) => ms);
      const ofOthers = all.filter(([code]) => !moved.has(code)).map(([, ms]) => ms);
      const after = await owners(teachers.map((t) => t.gameId));
      const window = Math.max(6000, seconds * 500) / 1000 + 1;
      console.log(
        `\n## Failover: kill -9 ${busiest} (owner of ${moved.size} of ${rooms} rooms) 1 s into a ${window.toFixed(0)} s window`,
      );
      const line = (xs: number[]): string =>
        `p50 ${pct(xs, 0.5).toFixed(0)} ms, p90 ${pct(xs, 0.9).toFixed(0)} ms, p99 ${pct(xs, 0.99).toFixed(0)} ms, max ${pct(xs, 1).toFixed(0)} ms`;
      console.log(
        `longest wait for a tick message, students of the ${moved.size} moved room(s): ${line(ofMoved)} ` +
          `(target: rooms ticking again within 2,000 ms; the lease is ${process.env.LEASE_MS ?? DEFAULT_LEASE_MS} ms)`,
      );
      console.log(
        `... students of the other rooms (a third of them were connected to the killed process and reconnect): ${line(ofOthers)}`,
      );
      // Where the moved rooms' gap went: the new owners' takeover lines, in ms after the kill.
      const phases = [...moved].flatMap((code) => {
        const p = takeovers.map((l) => takeoverPhases(l, code)).findLast((x) => x !== null);
        return p && p.restoredAt >= killedAt ? [p] : [];
      });
      const span = (xs: number[]): string =>
        xs.length === 0 ? '?' : `p50 ${pct(xs, 0.5).toFixed(0)} / max ${pct(xs, 1).toFixed(0)}`;
      const since = (pick: (p: (typeof phases)[number]) => number | null): number[] =>
        phases.flatMap((p) => {
          const t = pick(p);
          return t === null ? [] : [t - killedAt];
        });
      console.log(
        `failover phases, ms after the kill (${phases.length} of ${moved.size} moved rooms' takeover lines): ` +
          `lease expired ${span(since((p) => p.expiredAt))}, claim began ${span(since((p) => p.beganAt))}, ` +
          `lease and fence taken ${span(since((p) => p.claimedAt))}, game read ${span(since((p) => p.loadedAt))}, ` +
          `room rebuilt and ticking ${span(since((p) => p.restoredAt))}, ` +
          `students' first tick (their longest wait) ${span(ofMoved)}`,
      );
      console.log(
        `rooms per owner after: ${[...after].map(([k, v]) => `${k} ${v.length}`).join(', ')}; ` +
          `proofs agreed ${f.stats.reduce((x, st) => x + st.agreed, 0)}, disagreed ${f.stats.reduce((x, st) => x + st.mismatches, 0)}, ` +
          `holes ${f.stats.reduce((x, st) => x + st.gaps, 0)}`,
      );
    }
  }

  for (const t of teachers) t.socket.close();
  await Promise.all(
    gens.map((g) => (g.child.send({ cmd: 'exit' }), new Promise((r) => g.child.once('exit', r)))),
  );
  await target.stop();
  const purchases = m.stats.reduce((n, st) => n + st.actions, 0) / seconds;
  return {
    label: label || 'defaults',
    sample,
    cpu,
    delivered,
    rate: mean(rates),
    p99: pct(probeLat, 0.99),
    purchases,
  };
}

/**
 * A baseline server with the same clients: `purchases` > 0 (bare Socket.IO only, `--acting-baseline`)
 * has them also send that many purchases a second in all, each read and acknowledged by it: what
 * Socket.IO itself costs for our students' purchases, printed beside the target's ratio (which stays
 * against the bare broadcast).
 */
async function baseline(
  mode: 'socketio' | 'ws',
  sample: object,
  runs: RunResult[],
  purchases = 0,
): Promise<void> {
  const file = path.join(os.tmpdir(), `lemonscale-baseline-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(sample));
  const script = mode === 'ws' ? 'baseline-ws-server.ts' : 'baseline-server.ts';
  const { child, url } = await startChild(
    throughTsx(`test/bench/loadtest/${script}`, file, String(VIEW_INTERVAL_MS)),
    {},
  );
  // Each client receives about 1,000 / VIEW_INTERVAL_MS messages a second.
  const chance = purchases / total / (1000 / VIEW_INTERVAL_MS);
  const gens = await startGenerators(
    url,
    mode,
    Array.from({ length: rooms }, () => 'BASE'),
    chance,
  );
  const idle = sampleProc(child.pid!);
  const joined = await Promise.all(gens.map((g) => g.request<{ joinMs: number[] }>('join', 'joined')));
  const clients = joined.reduce((n, j) => n + j.joinMs.length, 0);
  // As for ours: the joined server's RSS a second after the joins, before any message (the script
  // starts broadcasting on SIGUSR2).
  await sleep(1000);
  const joinedIdle = sampleProc(child.pid!);
  child.kill('SIGUSR2');
  await sleep(3000);
  const m = await measure(gens, { pids: () => [{ name: 'baseline', pid: child.pid! }] }, () =>
    sleep(seconds * 1000),
  );
  const rates = m.stats.flatMap((s) => s.rates);
  const cpu = coreShare(m.server[0], m.server[1]);
  const acked = m.stats.reduce((n, st) => n + st.actions, 0) / seconds;
  const what =
    mode === 'ws'
      ? 'plain ws, one pre-built frame written to every client'
      : purchases > 0
        ? `bare Socket.IO, one room broadcast, reading and acknowledging ${acked.toFixed(0)} purchases a second (information only: the target is against the one without)`
        : 'bare Socket.IO, one room broadcast';
  console.log(
    `\n## Baseline (${what}): ${total} clients, one ${JSON.stringify(sample).length}-byte message each per ${VIEW_INTERVAL_MS} ms`,
  );
  console.log(
    `messages per client per second: mean ${mean(rates).toFixed(2)}, p1 ${pct(rates, 0.01).toFixed(2)}`,
  );
  const delivered = rates.reduce((a, b) => a + b, 0);
  console.log(
    `baseline CPU: ${(cpu * 100).toFixed(0)}% of one core = ${perMessage(cpu, delivered).toFixed(1)} us per delivered message; ` +
      `generators ${(m.gens * 100).toFixed(0)}%`,
  );
  console.log(`baseline CPU by thread: ${m.threads}`);
  console.log(
    `baseline memory: RSS ${m.server[1].rssMb.toFixed(0)} MB, idle ${idle.rssMb.toFixed(0)} MB, ` +
      `${(((joinedIdle.rssMb - idle.rssMb) * 1024) / Math.max(1, clients)).toFixed(1)} KB per connected client (joined, before start), ` +
      `${(((m.server[1].rssMb - idle.rssMb) * 1024) / Math.max(1, clients)).toFixed(1)} KB while broadcasting`,
  );
  for (const x of runs)
    console.log(
      `our CPU per delivered tick message${runs.length > 1 ? ` (${x.label})` : ''} / ${mode === 'ws' ? 'plain ws' : purchases > 0 ? 'bare Socket.IO with purchases' : 'bare Socket.IO'}: ` +
        `${perMessage(x.cpu, x.delivered).toFixed(1)} us vs ${perMessage(cpu, delivered).toFixed(1)} us = ` +
        `${(perMessage(x.cpu, x.delivered) / perMessage(cpu, delivered)).toFixed(2)}x`,
    );
  await Promise.all(
    gens.map((g) => (g.child.send({ cmd: 'exit' }), new Promise((r) => g.child.once('exit', r)))),
  );
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(file, { force: true });
}

console.log(
  `Load test: ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ` +
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}, generators at nice ${generatorNice}`,
);
const comparing =
  !!opt['compare-env'] ||
  !!opt['compare-dir'] ||
  opt['compare-act-every'] !== undefined ||
  opt['compare-server'] !== undefined;
if (opt['compared-first'] && (!comparing || nodes > 0))
  throw new Error('--compared-first needs a compared run (--compare-*) and one server process (no --nodes)');
/** The compared run: our server again with the --compare-* settings. */
async function compared(): Promise<RunResult> {
  const saved = actEvery;
  if (opt['compare-act-every'] !== undefined) actEvery = Number(opt['compare-act-every']);
  const env = Object.fromEntries(
    (opt['compare-env'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => {
        const [k, ...v] = kv.split('=');
        return [k!, v.join('=')];
      }),
  );
  const other = await ours(
    nodes,
    false,
    env,
    opt['compare-dir'] ? path.resolve(opt['compare-dir']) : root,
    compareServer,
  );
  actEvery = saved;
  return other;
}
// --compared-first: the compared run first (whichever server runs second in a run often costs a few
// percent more: both orders, alternated, say which differences are the code's).
const early = opt['compared-first'] ? await compared() : null;
const r = await ours(nodes, !opt['no-failover']);
/** Our runs of this load test (the first, and the compared one, in the order they ran), each set against the baselines. */
const runs = early ? [early, r] : [r];
if (comparing) {
  if (!early) runs.push(await compared());
  console.log(`\n## Same run, compared (in the order they ran)`);
  for (const x of runs)
    console.log(
      `${x.label.padEnd(30)} tick messages/student/s ${x.rate.toFixed(2)}, event -> business p99 ${x.p99.toFixed(0)} ms${generatorNice !== 0 ? ' (probe)' : ''}, ` +
        `${perMessage(x.cpu, x.delivered).toFixed(1)} us CPU per delivered tick message`,
    );
}
if (nodes > 1 && !opt['no-compare']) {
  // The same load on one process behind the same balancer: how throughput and cost grow with processes.
  const one = await ours(1, false);
  console.log(`\n## 1 process vs ${nodes} (same load, same machine: ${os.cpus().length} cores)`);
  console.log(
    `tick messages delivered per second: ${one.delivered.toFixed(0)} vs ${r.delivered.toFixed(0)} = ${(r.delivered / one.delivered).toFixed(2)}x; ` +
      `server CPU ${(one.cpu * 100).toFixed(0)}% vs ${(r.cpu * 100).toFixed(0)}% of a core; ` +
      `p99 event-to-screen ${one.p99.toFixed(0)} ms vs ${r.p99.toFixed(0)} ms`,
  );
}
if (nodes === 0 && !opt['no-baseline'] && r.sample) {
  await baseline('socketio', r.sample, runs);
  await baseline('ws', r.sample, runs);
  if (opt['acting-baseline'] && r.purchases > 0) await baseline('socketio', r.sample, runs, r.purchases);
}
console.log(
  `\nload average at the end: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
clearTimeout(guard);
stopAll();
process.exit(0);
