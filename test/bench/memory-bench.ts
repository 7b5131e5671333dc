import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { io as connect } from 'socket.io-client';
import { studentNames } from './loadtest/student-names.ts';
import { startSocketIoBaseline, type BaselineServer } from './loadtest/baseline-server.ts';
import { startWsBaseline } from './loadtest/baseline-ws-server.ts';

/**
 * Memory per connection (a benchmark: it prints figures and asserts nothing).
 *
 *   npm run bench:memory -- [--students 1000] [--procs 2] [--snapshot] [--servers ours,socketio,ws]
 *                           [--compare-dir DIR]
 *
 * For each server, in its own process, one after the other in the same run: ours (SQLite store in a
 * temporary folder; --students generated students join one room from generator processes, the load
 * test's, which follow the tick stream), the bare Socket.IO server of the load test (the same clients
 * join its one room) and the plain `ws` server (the same number of bare websockets). Only the server's
 * memory is measured: before the joins, after half of them, after all, and again after 5 s of play (our
 * game running, or the baseline broadcasting a tick-sized message every 100 ms), it collects garbage and
 * reads the heap, the memory outside it (external, array buffers) and the RSS, per connection beyond the
 * idle server, and what the second half alone added per connection (without what the first connections
 * cost once: code compiled on the way, caches and pools filling up to their size). Then
 * a table side by side. `--compare-dir DIR` adds our server from another checkout (DIR: the old code)
 * in the same run. With --snapshot it also writes a heap snapshot at each point and
 * prints what the students added, by constructor (the snapshots themselves take memory: read the RSS from
 * a run without --snapshot).
 */
const { values: opt } = parseArgs({
  options: {
    students: { type: 'string', default: '1000' },
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
const procs = Math.max(1, Number(opt.procs ?? Math.ceil(students / 500)));
type Kind = 'ours' | 'socketio' | 'ws';

interface Mem {
  heap: number;
  /** What V8 holds from the system for its heap (used or not): part of the RSS. */
  heapTotal: number;
  /** Memory V8 knows of outside its heap (array buffers and other native objects that report it). */
  external: number;
  rss: number;
}
function measure(): Mem {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss };
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

/** What one server's process measured (sent to the parent). */
interface Result {
  label: string;
  connections: number;
  idle: Mem;
  /** After the first half of the connections. */
  half: Mem;
  halfConnections: number;
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
  const { DEFAULT_CONFIG } = (await load('server/config.ts')) as typeof import('../../server/config.ts');
  const { createLogger } = (await load('server/logging.ts')) as typeof import('../../server/logging.ts');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-memory-'));
  const server = await startServer(
    {
      ...DEFAULT_CONFIG,
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'error',
      clientDir: path.join(dataDir, 'no-client'),
      joinAttemptsPerMinute: 1_000_000,
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
    kind === 'ours'
      ? await startOurs(root)
      : baseline(await (kind === 'ws' ? startWsBaseline : startSocketIoBaseline)(TICK_SAMPLE, 100));
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
  // In two halves: what the second half adds is the cost of one more connection, without what the first
  // connections cost once (code compiled on the way, caches and pools that fill up to their size).
  const names = studentNames(students);
  const half = Math.floor(students / 2);
  const firstHalf = await join(names.slice(0, half));
  const afterHalf = measure();
  const n = firstHalf + (await join(names.slice(half)));
  const afterJoin = measure();
  const joinSnap = snapshotAt('joined');
  await server.play();
  await new Promise((r) => setTimeout(r, 5000));
  const playing = measure();

  if (idleSnap && joinSnap) {
    const a = bySize(idleSnap);
    const b = bySize(joinSnap);
    const rows = [...b].map(([k, v]) => ({
      k,
      size: v.size - (a.get(k)?.size ?? 0),
      count: v.count - (a.get(k)?.count ?? 0),
    }));
    rows.sort((x, y) => y.size - x.size);
    console.log(
      `\n${label}: what joining added, by constructor (heap snapshots before and after the joins):`,
    );
    for (const r of rows.slice(0, 25))
      console.log(
        `${(r.size / 1024 / n).toFixed(2).padStart(7)} KB per connection  ${(r.count / n).toFixed(1).padStart(6)} objects  ${r.k}`,
      );
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
    half: afterHalf,
    halfConnections: firstHalf,
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
  const args = ['--server', kind, '--students', String(students), '--procs', String(procs)];
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
const started = new Date().toISOString();
const results: Result[] = [];
for (const r of runs) results.push(await runChild(r.kind, r.root, r.label));

const kb = (bytes: number, n: number): string => `${(bytes / 1024 / Math.max(1, n)).toFixed(1)} KB`;
console.log(
  `\nMemory per connection beyond the idle server, after GC: ${students} clients in one room, ${started}, ` +
    `node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
);
console.log(
  '| server | connected | heap used (held), joined | outside the heap, joined | RSS, joined | ' +
    'second half alone: heap used, RSS | heap used (held), playing 5 s | RSS, playing |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const d = (m: Mem, k: keyof Mem): string => kb(m[k] - r.idle[k], r.connections);
  const second = (k: keyof Mem): string => kb(r.joined[k] - r.half[k], r.connections - r.halfConnections);
  console.log(
    `| ${r.label} | ${r.connections} | ${d(r.joined, 'heap')} (${d(r.joined, 'heapTotal')}) | ${d(r.joined, 'external')} | ` +
      `${d(r.joined, 'rss')} | ${second('heap')}, ${second('rss')} | ${d(r.playing, 'heap')} (${d(r.playing, 'heapTotal')}) | ${d(r.playing, 'rss')} |`,
  );
}
process.exit(0);
