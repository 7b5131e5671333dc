/**
 * The class view's build at classroom size: a game of N students (no bots) who buy every few seconds,
 * the class view built once a game second, as a room does. With `--baseline DIR` the class view of that
 * checkout is built on the same game in the same process, old and new alternating, so the two are
 * measured under the same load (and their views, stringified, must be the same bytes). Run:
 *   node --expose-gc --max-semi-space-size=64 --import tsx test/bench/class-view-bench.ts
 *   [--students 1000] [--seconds 240] [--act-every 5] [--baseline /path/to/old/checkout]
 * With --expose-gc each build also reports what it allocated: the heap's growth across the build,
 * collected just before it (a young generation of 64 MB lets a build finish without a collection).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';
import type { ClassRoomFacts } from '../../shared/views/class-view.ts';
import type { ClassView } from '../../shared/protocol/views.ts';
import type { GameState } from '../../shared/sim/state.ts';

const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '240' },
    'act-every': { type: 'string', default: '5' },
    baseline: { type: 'string' },
  },
});
const students = Number(values.students);
const seconds = Number(values.seconds);
const actEvery = Number(values['act-every']);

type Build = (state: GameState, room: ClassRoomFacts) => ClassView;
async function load(dir: string): Promise<Build> {
  const url = pathToFileURL(resolve(dir, 'shared/views/class-view.ts')).href;
  return ((await import(url)) as { classView: Build }).classView;
}
const builds: { name: string; build: Build; ms: number[]; mb: number[] }[] = [
  { name: 'new', build: await load(resolve(import.meta.dirname, '../..')), ms: [], mb: [] },
];
if (values.baseline) builds.push({ name: 'old', build: await load(values.baseline), ms: [], mb: [] });
const gc = (globalThis as { gc?: () => void }).gc;

const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 7, settings: {} });
for (let i = 0; i < students; i++) g.submit({ type: 'join', playerId: `p${i}`, name: `Student ${i}` });
g.submit({ type: 'start' });
const room: ClassRoomFacts = {
  roomCode: 'BENCH',
  paused: false,
  speed: 1,
  locked: false,
  scoresHidden: false,
  connected: () => true,
  left: () => false,
  leaderboardRows: Number.MAX_SAFE_INTEGER,
};

// A fixed pseudo-random sequence (the bench's own, not the game's): who buys what, and when.
let seed = 12345;
const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const items = ['stand', 'load-balancer', 'notebook', 'notebook-replica'] as const;
let bought = 0;
let sink = 0;
let compared = 0;
const ticks = seconds * TICKS_PER_SECOND;
for (let t = 0; t < ticks && g.state.status === 'running'; t++) {
  // Each student acts once every `actEvery` seconds on average: buys an item or upgrades a stand.
  const acts = actEvery > 0 ? Math.round(students / (actEvery * TICKS_PER_SECOND)) : 0;
  for (let a = 0; a < acts; a++) {
    const p = g.state.players[Math.floor(rand() * students)]!;
    const r = rand();
    const cmd =
      r < 0.5 && p.stands.length > 0
        ? { type: 'upgrade', playerId: p.id, standId: p.stands[Math.floor(rand() * p.stands.length)]!.id }
        : { type: 'buy', playerId: p.id, item: items[Math.floor(rand() * items.length)]! };
    if (g.submit(cmd).ok) bought++;
  }
  g.advance();
  if (t % TICKS_PER_SECOND !== 0) continue;
  if (process.env.CLASS_VIEW_BENCH_MARKS) console.log(`[bench] second ${t / TICKS_PER_SECOND}`);
  const order = (t / TICKS_PER_SECOND) % 2 === 0 ? builds : [...builds].reverse();
  const json: string[] = [];
  for (const b of order) {
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    const v = b.build(g.state, room);
    b.ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (gc) b.mb.push((process.memoryUsage().heapUsed - heap0) / 2 ** 20);
    sink += v.leaderboard.length;
    // Every 10 s the two builds must send the very same view (same bytes once stringified).
    if (builds.length > 1 && (t / TICKS_PER_SECOND) % 10 === 0) json.push(JSON.stringify(v));
  }
  if (json.length > 1 && json[0] !== json[1]) throw new Error(`the class views differ at tick ${t}`);
  if (json.length > 1) compared++;
}

/** The first builds (V8 still compiling) are left out of the medians. */
const warmFrom = (xs: number[]): number => Math.min(30, xs.length >> 2);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
const pct = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? 0;
console.log(
  `${students} students, ${seconds} s, ${bought} purchases accepted, ${g.state.tick} ticks, load ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const b of builds) {
  const warm = b.ms.slice(Math.min(30, b.ms.length >> 2));
  console.log(
    `${b.name}: class view build median ${median(warm).toFixed(2)} ms, p90 ${pct(warm, 0.9).toFixed(2)} ms, total ${b.ms.reduce((s, x) => s + x, 0).toFixed(0)} ms over ${b.ms.length} builds` +
      (b.mb.length ? `, allocated median ${median(b.mb.slice(warmFrom(b.mb))).toFixed(2)} MB per build` : ''),
  );
}
if (compared > 0) console.log(`old and new views byte-identical at ${compared} checks`);
if (sink < 0) console.log(sink);
