/**
 * Simulation benchmark (prints figures; asserts nothing): Lemonade Week played by reference bots with
 * 1, 30 and 2,000 players on one core. The 1-player game is the baseline measured in the same run, so
 * the per-player cost can be quoted as a ratio whatever the machine is doing. Then replays: heap per
 * business, checkpoints (size, encode, restore), seeking to random ticks, a what-if fork of one player
 * (the whole class re-simulated, as before, beside one business from a checkpoint), and restoring a
 * room from its latest checkpoint plus the log tail (beside folding its whole log).
 *
 * Old beside new in the same run: `--baseline DIR` loads the simulation of another checkout (e.g. the
 * commit before the faster core: `git worktree add /tmp/lemonscale-base d4c153b`) and measures the
 * headline figures with both, one after the other, so machine noise hits both alike. Without it, the
 * old figures printed are the ones docs/performance.md recorded before issue 13's faster core.
 * `--workers N`: also the 2,000-player game split over N worker threads (sim-workers.ts), printed
 * apart: it scales with free cores, not with the simulation's speed.
 *   npm run bench [-- --runs N] [-- --replays-only] [-- --baseline DIR] [-- --workers N]
 *   (npm run bench runs node --expose-gc: the heap figure)
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { BOT_KINDS, type BotKind } from '../../shared/sim/commands.ts';
import type { GameLog } from '../../shared/sim/game-log.ts';
import { CHECKPOINT_EVERY } from '../../shared/sim/checkpoint.ts';
import { loadSimulation, type Simulation } from './sim-impl.ts';
import { playInWorkers } from './sim-workers.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'replays-only': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    workers: { type: 'string', default: '0' },
  },
});
const sim: Simulation = await loadSimulation(resolve(import.meta.dirname, '../..'));
const base: Simulation | null = values.baseline ? await loadSimulation(resolve(values.baseline)) : null;
const runs = Math.max(1, Number(values.runs) || 5);
const scenario = builtInScenario('lemonade-week')!;
/** Present under node --expose-gc (npm run bench): the heap figure needs full collections. */
const gc = (globalThis as { gc?: () => void }).gc;
const gameSeconds = scenario.durationSeconds;

/**
 * The figures docs/performance.md recorded before the faster core (2-core shared machine, 19:30-19:50
 * with a load average of 13, and the quiet table for x real time): printed as "old" without --baseline.
 */
const RECORDED_OLD = {
  realTime2000: 29,
  replay2000Ms: 17_100,
  heapKb: 19.6,
  encode2000Ms: 308,
  decode2000Ms: 238,
  restore2000Ms: 1_000,
  seekP99_30: 8.5,
  seekP99_2000: 1_500,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function bots(n: number): BotKind[] {
  return Array.from({ length: n }, (_, i) => BOT_KINDS[i % BOT_KINDS.length]!);
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

interface Figures {
  players: number;
  ms: number;
  /** CPU time of this process (less sensitive than wall time to other work on a shared machine). */
  cpuMs: number;
  ticks: number;
  customers: number;
  commands: number;
  /** CPU time of folding the game's log (no bots: the simulation alone). */
  replayMs: number;
  /** End hash of the first run's game (seed 1). */
  hash: string;
}

function measure(s: Simulation, players: number, n: number): Figures {
  const times: number[] = [];
  const cpus: number[] = [];
  const replays: number[] = [];
  let last = { ticks: 0, customers: 0, commands: 0 };
  let hash = '';
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    let g = null as ReturnType<Simulation['playBotGame']> | null;
    cpus.push(cpuMs(() => (g = s.playBotGame({ scenario, seed: 1 + i, bots: bots(players) }))));
    times.push(performance.now() - t0);
    last = {
      ticks: g!.state.tick,
      customers: g!.state.nextCustomerId * players,
      commands: g!.log.commands.length,
    };
    let replayed = g!.state;
    replays.push(cpuMs(() => (replayed = s.replayLog(g!.log))));
    if (s.stateHash(replayed) !== g!.log.end!.hash) throw new Error('replay diverged');
    if (i === 0) hash = g!.log.end!.hash;
  }
  return { players, ms: median(times), cpuMs: median(cpus), replayMs: median(replays), hash, ...last };
}

/** Heap held by a finished game's state, per business (needs --expose-gc; null without). */
function heapPerBusiness(players: number): number | null {
  if (!gc) return null;
  // Twice: the first collection's sweeping can still be under way when heapUsed is read.
  const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
  const h0 = heap();
  const g = sim.playBotGame({ scenario, seed: 1, bots: bots(players) });
  const held = heap() - h0;
  if (g.state.players.length !== players) throw new Error('players missing');
  return held / players;
}

/** The old/new summary printed at the end. */
const summary: {
  figure: string;
  old: number | null;
  now: number;
  unit: string;
  aim: string;
  better: 'lower' | 'higher';
}[] = [];
const note = (
  figure: string,
  old: number | null,
  now: number,
  unit: string,
  aim: string,
  better: 'lower' | 'higher' = 'lower',
) => summary.push({ figure, old, now, unit, aim, better });

// Warm the JIT up first, so the 1-player baseline measures the simulation rather than the compiler.
sim.playBotGame({ scenario, seed: 99, bots: bots(30) });
base?.playBotGame({ scenario, seed: 99, bots: bots(30) });
if (!values['replays-only']) await speedFigures();

async function speedFigures(): Promise<void> {
  // First, in a heap with nothing else in it yet: what a finished game holds (its state, its log).
  const heap = heapPerBusiness(2000);
  console.log(
    heap === null
      ? 'heap per business: run with node --expose-gc (npm run bench does) to measure it'
      : `heap per business, 2,000 players at the end of Lemonade Week (state and log): ${(heap / 1024).toFixed(1)} KB`,
  );
  if (heap !== null)
    note('heap per business, 2,000 players', RECORDED_OLD.heapKb, heap / 1024, 'KB', '<= 20 KB');
  const sizes = (p: number) => (p >= 1000 ? Math.max(1, Math.min(runs, 3)) : runs);
  const rows = [1, 30, 2000].map((p) => measure(sim, p, sizes(p)));
  printSpeed('this checkout', rows);
  let old2000: Figures | null = null;
  if (base) {
    // The baseline's 2,000-player game only (its 1- and 30-player games add little and cost minutes).
    old2000 = measure(base, 2000, 1);
    const now = measure(sim, 2000, 1); // and the same once more right after, for a fair pair
    printSpeed(`baseline ${base.dir} (2,000 players, one run) and this checkout right after`, [old2000, now]);
  }
  const f = rows[2]!;
  const x = (r: Figures) => gameSeconds / (r.cpuMs / 1000);
  const xr = (r: Figures) => gameSeconds / (r.replayMs / 1000);
  note(
    '2,000 players, game with bots: x real time (one core, CPU)',
    old2000 ? x(old2000) : RECORDED_OLD.realTime2000,
    x(f),
    'x',
    '>= 500x',
    'higher',
  );
  note(
    '2,000 players, log fold (no bots): x real time (one core, CPU)',
    old2000 ? xr(old2000) : gameSeconds / (RECORDED_OLD.replay2000Ms / 1000),
    xr(f),
    'x',
    '>= 500x',
    'higher',
  );
  const workers = Number(values.workers) || 0;
  if (workers > 0) {
    // Not one core: each worker is a slice of the class on its own core (if the machine has one free).
    const w = await playInWorkers(scenario.id, 1, bots(2000), workers);
    if (w.hash !== f.hash) throw new Error(`the slices' businesses differ from the one-core game's`);
    console.log(
      `2,000 players over ${workers} worker threads (NOT one core; all warm; same businesses, hash ${w.hash}): ` +
        `${w.wallMs.toFixed(0)} ms wall = ${(gameSeconds / (w.wallMs / 1000)).toFixed(0)}x real time ` +
        `(slowest slice ${w.slowestWallMs.toFixed(0)} ms wall, ${w.slowestCpuMs.toFixed(0)} ms CPU; one core: ` +
        `${f.ms.toFixed(0)} ms wall)`,
    );
  }
}

function printSpeed(title: string, rows: Figures[]): void {
  const one = rows.find((r) => r.players === 1);
  const perPlayerTick = (f: Figures) => f.cpuMs / (f.players * f.ticks);
  console.log(
    `Lemonade Week (${gameSeconds} game seconds, ${rows[0]!.ticks} ticks), ${title}: medians of ${runs} runs (3 at most for 2,000 players), node ${process.version}`,
  );
  console.log(
    'players  game ms   cpu ms  replay ms  ticks/s  customers/s  x real time (cpu)  replay x real time  commands  cpu per player-tick vs 1 player',
  );
  for (const f of rows) {
    console.log(
      [
        String(f.players).padStart(7),
        f.ms.toFixed(0).padStart(8),
        f.cpuMs.toFixed(0).padStart(8),
        f.replayMs.toFixed(0).padStart(10),
        ((f.ticks / f.ms) * 1000).toFixed(0).padStart(9),
        ((f.customers / f.ms) * 1000).toExponential(2).padStart(13),
        (gameSeconds / (f.cpuMs / 1000)).toFixed(0).padStart(18),
        (gameSeconds / (f.replayMs / 1000)).toFixed(0).padStart(19),
        String(f.commands).padStart(9),
        one ? (perPlayerTick(f) / perPlayerTick(one)).toFixed(2).padStart(10) : '',
      ].join('  '),
    );
  }
  const mem = process.memoryUsage();
  console.log(
    `heap used at the end: ${(mem.heapUsed / 1048576).toFixed(0)} MB, rss ${(mem.rss / 1048576).toFixed(0)} MB`,
  );
}

// ---- replays, checkpoints, what-if, recovery ---------------------------------------------------------

/** A deterministic stream of ticks to seek to (no Math.random: figures repeat run to run). */
function randomTicks(n: number, end: number, seed: number): number[] {
  let x = seed >>> 0;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % (end + 1);
  });
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

interface ReplayFigures {
  encodeMs: number;
  decodeMs: number;
  restoreMs: number;
  seekP99: number;
}

function replayFigures(
  s: Simulation,
  log: GameLog,
  players: number,
  seeks: number,
  label: string,
): ReplayFigures {
  const end = log.end!.tick;
  const line = (what: string, text: string) =>
    console.log(`${String(players).padStart(5)} players ${label.padEnd(4)} ${what.padEnd(44)} ${text}`);

  // A checkpoint late in the game: size, encode and decode (best of 3: one encode is short, and a
  // garbage collection landing in it would be most of it).
  const at = end - (end % CHECKPOINT_EVERY) - CHECKPOINT_EVERY;
  let atNext = 0;
  const fold: InstanceType<Simulation['LogFold']> = new s.LogFold(log.header, log.commands, {
    atTick: (st) => {
      if (st.tick === at) atNext = fold.next;
    },
  });
  const atState = fold.runTo(at);
  let bytes: Uint8Array = new Uint8Array();
  const encodeMs = Math.min(
    ...[0, 1, 2].map(() => cpuMs(() => (bytes = s.encodeCheckpoint(atState, atNext)))),
  );
  const decodeMs = Math.min(...[0, 1, 2].map(() => cpuMs(() => s.decodeCheckpoint(bytes, scenario))));
  line(
    'checkpoint at tick ' + at,
    `${(bytes.length / 1024).toFixed(0)} KB (${(bytes.length / players / 1024).toFixed(2)} KB per business), encode ${encodeMs.toFixed(1)} ms, decode ${decodeMs.toFixed(1)} ms cpu`,
  );

  // Recovery: the latest checkpoint (up to one interval before the end) plus the log tail, beside the whole log.
  const wholeMs = cpuMs(() => void new s.LogFold(log.header, log.commands).runTo(end));
  let restored = atState;
  const restoreMs = cpuMs(() => {
    const cp = s.decodeCheckpoint(bytes, scenario);
    const tail = new s.LogFold(log.header, log.commands);
    tail.restore(cp.state, cp.next);
    restored = tail.runTo(end);
  });
  // Checked outside the timing: hashing a 2,000-player state is not part of restoring it.
  if (s.stateHash(restored) !== log.end!.hash) throw new Error('restore diverged');
  line(
    'restore: checkpoint + log tail (' + (end - at) + ' ticks)',
    `${restoreMs.toFixed(0)} ms cpu (whole log folded: ${wholeMs.toFixed(0)} ms, ${(wholeMs / restoreMs).toFixed(0)}x)`,
  );

  // Seeking: a session played through once (its checkpoints taken), then random ticks.
  const session = new s.ReplaySession(log);
  const playMs = cpuMs(() => session.seek(end));
  const times: number[] = [];
  for (const t of randomTicks(seeks, end, players)) times.push(cpuMs(() => session.seek(t)));
  line(
    'replay played through (checkpoints taken)',
    `${playMs.toFixed(0)} ms cpu, checkpoints ${(session.checkpointBytes / 1048576).toFixed(1)} MB (one every ${session.every} ticks)`,
  );
  const seekP99 = percentile(times, 99);
  line(
    `seek to a random tick (${seeks} seeks)`,
    `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${seekP99.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
  );
  const figures = { encodeMs, decodeMs, restoreMs, seekP99 };

  if (players > 100) {
    // Memory for speed: a session allowed every checkpoint (every 50 ticks), too much for a browser
    // tab, affordable for a server-side replay.
    const roomy = new s.ReplaySession(log, { checkpointBudget: 2 * 1024 ** 3 });
    roomy.seek(end);
    const roomyTimes = randomTicks(seeks, end, players + 1).map((t) => cpuMs(() => roomy.seek(t)));
    line(
      `seek, all checkpoints kept (${(roomy.checkpointBytes / 1048576).toFixed(0)} MB)`,
      `p50 ${percentile(roomyTimes, 50).toFixed(1)} ms, p99 ${percentile(roomyTimes, 99).toFixed(1)} ms, max ${Math.max(...roomyTimes).toFixed(1)} ms`,
    );
    return figures;
  }
  // What-if: one player buys the notebook and a load balancer two minutes in.
  const pid = 'bot-3';
  const forkAt = 1200;
  const decisions = [
    { tick: forkAt, cmd: { type: 'buy' as const, playerId: pid, item: 'notebook' as const } },
    { tick: forkAt + 1, cmd: { type: 'buy' as const, playerId: pid, item: 'load-balancer' as const } },
  ];
  let oldHash = '';
  const oldMs = cpuMs(() => {
    const f = s.forkLog(log, forkAt, pid, decisions);
    s.collectSeries(f.log);
    oldHash = f.log.end!.hash;
  });
  let newHash = '';
  const original = session.seek(end);
  const newMs = cpuMs(() => {
    const f = s.forkLog(log, forkAt, pid, decisions, {
      from: session.stateBefore(forkAt),
      originalEnd: original,
    });
    s.collectSeries(f.log, { playerId: pid });
    newHash = f.log.end!.hash;
  });
  if (oldHash !== newHash) throw new Error('the two what-ifs disagree');
  line(
    'what-if fork of one player (fork + series)',
    `${newMs.toFixed(0)} ms cpu (whole class re-simulated: ${oldMs.toFixed(0)} ms, ${(oldMs / newMs).toFixed(0)}x)`,
  );
  return figures;
}

console.log('');
console.log(
  'Replays (one core; ms of CPU)' + (base ? `; "old": the baseline ${base.dir}, "new": this checkout` : ''),
);
for (const [players, seeks] of [
  [30, 400],
  [2000, 60],
] as const) {
  const g = sim.playBotGame({ scenario, seed: 5, bots: bots(players) });
  const log: GameLog = JSON.parse(JSON.stringify(g.log));
  const now = replayFigures(sim, log, players, seeks, base ? 'new' : '');
  const old = base ? replayFigures(base, log, players, seeks, 'old') : null;
  if (players === 30) {
    note('seek p99, 30 players', old ? old.seekP99 : RECORDED_OLD.seekP99_30, now.seekP99, 'ms', '< 50 ms');
  } else {
    note(
      'seek p99, 2,000 players (256 MB of checkpoints)',
      old ? old.seekP99 : RECORDED_OLD.seekP99_2000,
      now.seekP99,
      'ms',
      '< 500 ms',
    );
    note(
      'restore 2,000 players: checkpoint + tail',
      old ? old.restoreMs : RECORDED_OLD.restore2000Ms,
      now.restoreMs,
      'ms',
      '< 1,000 ms',
    );
    note(
      'checkpoint encode, 2,000 players',
      old ? old.encodeMs : RECORDED_OLD.encode2000Ms,
      now.encodeMs,
      'ms',
      '(live-room stall)',
    );
    note(
      'checkpoint decode, 2,000 players',
      old ? old.decodeMs : RECORDED_OLD.decode2000Ms,
      now.decodeMs,
      'ms',
      '',
    );
  }
}

console.log('');
console.log(
  `Old beside new (old: ${base ? `measured in this run from ${base.dir}` : 'as recorded in docs/performance.md before the faster core'}; CPU of one core)`,
);
console.log(`${'figure'.padEnd(62)} ${'old'.padStart(10)} ${'new'.padStart(10)}  change   aim`);
for (const r of summary) {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + r.unit;
  const change =
    r.old === null
      ? ''
      : r.better === 'higher'
        ? `${(r.now / r.old).toFixed(1)}x`
        : `${(r.old / r.now).toFixed(1)}x`;
  console.log(
    `${r.figure.padEnd(62)} ${(r.old === null ? '-' : fmt(r.old)).padStart(10)} ${fmt(r.now).padStart(10)}  ${change.padStart(6)}   ${r.aim}`,
  );
}
