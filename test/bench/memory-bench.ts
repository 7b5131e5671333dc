import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { io as connect } from 'socket.io-client';
import { DEFAULT_CONFIG } from '../../server/config.ts';
import { createLogger } from '../../server/logging.ts';
import { startServer } from '../../server/server.ts';
import { studentNames } from './loadtest/student-names.ts';

/**
 * Memory per connected student (a benchmark: it prints figures and asserts nothing).
 *
 *   npm run bench:memory -- [--students 1000] [--procs 2] [--snapshot]
 *
 * Runs the server in this process (SQLite store in a temporary folder) and joins --students scripted
 * students into one room from generator processes (the load test's, which follow the tick stream), so
 * only the server's memory is measured here. Before and after the joins (and again after the game has
 * run a few seconds) it collects garbage and prints the heap, the memory outside it (buffers) and the
 * RSS, per connected student beyond the idle server. With --snapshot it also writes a heap snapshot at
 * each point and prints what the students added, by constructor: what the kilobytes are made of (the
 * snapshots themselves take memory: read the RSS from a run without --snapshot).
 */
const { values: opt } = parseArgs({
  options: {
    students: { type: 'string', default: '1000' },
    procs: { type: 'string' },
    snapshot: { type: 'boolean', default: false },
  },
});
const students = Number(opt.students);
const procs = Math.max(1, Number(opt.procs ?? Math.ceil(students / 500)));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');

interface Mem {
  heap: number;
  /** What V8 holds from the system for its heap (used or not): part of the RSS. */
  heapTotal: number;
  external: number;
  rss: number;
}
function measure(): Mem {
  for (let i = 0; i < 3; i++) gc!();
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
  gc!();
  return v8.writeHeapSnapshot(
    path.join(os.tmpdir(), `lemonscale-memory-${process.pid}-${label}.heapsnapshot`),
  );
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-memory-'));
const server = await startServer(
  {
    ...DEFAULT_CONFIG,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'warn',
    joinAttemptsPerMinute: 1_000_000,
  },
  { logger: createLogger('warn') },
);
const teacher = connect(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
const created = await new Promise<{ roomCode: string }>((resolve) =>
  teacher.emit(
    'room:create',
    { scenarioId: 'lemonade-week', seed: 1, settings: { speed: 1, maxPlayers: Math.min(5000, students) } },
    resolve as (r: unknown) => void,
  ),
);
await new Promise((r) => setTimeout(r, 500));
const idle = measure();
const idleSnap = snapshotAt('idle');

const lists: { roomCode: string; name: string }[][] = Array.from({ length: procs }, () => []);
studentNames(students).forEach((name, k) => lists[k % procs]!.push({ roomCode: created.roomCode, name }));
const gens: ChildProcess[] = lists.map((l) =>
  fork(
    path.join(import.meta.dirname, 'loadtest/generator.ts'),
    [JSON.stringify({ url: server.url, mode: 'ours', students: l, actEverySeconds: 0, viewIntervalMs: 100 })],
    { execArgv: ['--import', 'tsx'] },
  ),
);
const reply = (g: ChildProcess, type: string): Promise<Record<string, unknown>> =>
  new Promise((resolve) => {
    const on = (m: Record<string, unknown>): void => {
      if (m.type !== type) return;
      g.off('message', on);
      resolve(m);
    };
    g.on('message', on);
  });
await Promise.all(gens.map((g) => reply(g, 'ready')));
const joined = await Promise.all(
  gens.map((g) => {
    const r = reply(g, 'joined');
    g.send({ cmd: 'join' });
    return r;
  }),
);
const n = joined.reduce((a, j) => a + (j.joinMs as number[]).length, 0);
await new Promise((r) => setTimeout(r, 1000));
const afterJoin = measure();
const joinSnap = snapshotAt('joined');
await new Promise<unknown>((resolve) => teacher.emit('teacher:action', { type: 'start' }, resolve));
await new Promise((r) => setTimeout(r, 5000));
const playing = measure();

const kb = (bytes: number): string => `${(bytes / 1024 / Math.max(1, n)).toFixed(1)} KB`;
const line = (label: string, m: Mem): void =>
  console.log(
    `${label.padEnd(28)} heap used ${kb(m.heap - idle.heap)} (held ${kb(m.heapTotal - idle.heapTotal)}), ` +
      `outside the heap ${kb(m.external - idle.external)}, RSS ${kb(m.rss - idle.rss)} per student`,
  );
console.log(
  `Memory per connected student: ${n} of ${students} joined one room, ${new Date().toISOString()}, node ${process.version}`,
);
console.log(
  `idle server: heap ${(idle.heap / 1048576).toFixed(0)} MB, RSS ${(idle.rss / 1048576).toFixed(0)} MB`,
);
line('joined (lobby), after GC:', afterJoin);
line('playing 5 s, after GC:', playing);

if (idleSnap && joinSnap) {
  const a = bySize(idleSnap);
  const b = bySize(joinSnap);
  const rows = [...b].map(([k, v]) => ({
    k,
    size: v.size - (a.get(k)?.size ?? 0),
    count: v.count - (a.get(k)?.count ?? 0),
  }));
  rows.sort((x, y) => y.size - x.size);
  console.log('\nWhat joining added, by constructor (heap snapshots before and after the joins):');
  for (const r of rows.slice(0, 25))
    console.log(
      `${(r.size / 1024 / n).toFixed(2).padStart(7)} KB per student  ${(r.count / n).toFixed(1).padStart(6)} objects  ${r.k}`,
    );
  fs.rmSync(idleSnap, { force: true });
  fs.rmSync(joinSnap, { force: true });
}

for (const g of gens) g.send({ cmd: 'exit' });
teacher.close();
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
