/**
 * Simulation benchmark (prints figures; asserts nothing): Lemonade Week played by reference bots with
 * 1, 30 and 2,000 players on one core. The 1-player game is the baseline measured in the same run, so
 * the per-player cost can be quoted as a ratio whatever the machine is doing. Then replays: heap per
 * business, checkpoints (size, encode, restore), seeking to random ticks, a what-if fork of one player
 * (the whole class re-simulated, as before, beside one business from a checkpoint), and restoring a
 * room from its latest checkpoint plus the log tail (beside folding its whole log).
 *   npm run bench [-- --runs N] [-- --replays-only]      (npm run bench runs node --expose-gc: the heap figure)
 */
import { parseArgs } from 'node:util';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { BOT_KINDS, type BotKind } from '../../shared/sim/commands.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import type { GameLog } from '../../shared/sim/game-log.ts';
import { LogFold } from '../../shared/sim/log-fold.ts';
import { CHECKPOINT_EVERY, decodeCheckpoint, encodeCheckpoint } from '../../shared/sim/checkpoint.ts';
import { ReplaySession } from '../../shared/replay/replay-session.ts';
import { forkLog } from '../../shared/replay/fork.ts';
import { collectSeries } from '../../shared/replay/series.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, 'replays-only': { type: 'boolean', default: false } },
});
const runs = Math.max(1, Number(values.runs) || 5);
const scenario = builtInScenario('lemonade-week')!;
/** Present under node --expose-gc (npm run bench): the heap figure needs full collections. */
const gc = (globalThis as { gc?: () => void }).gc;
const gameSeconds = scenario.durationSeconds;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function bots(n: number): BotKind[] {
  return Array.from({ length: n }, (_, i) => BOT_KINDS[i % BOT_KINDS.length]!);
}

interface Figures {
  players: number;
  ms: number;
  /** CPU time of this process (less sensitive than wall time to other work on a shared machine). */
  cpuMs: number;
  ticks: number;
  customers: number;
  commands: number;
  replayMs: number;
}

function measure(players: number): Figures {
  const times: number[] = [];
  const cpus: number[] = [];
  const replays: number[] = [];
  let last = { ticks: 0, customers: 0, commands: 0 };
  const n = players >= 1000 ? Math.max(1, Math.min(runs, 3)) : runs;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const g = playBotGame({ scenario, seed: 1 + i, bots: bots(players) });
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpus.push((c.user + c.system) / 1000);
    last = {
      ticks: g.state.tick,
      customers: g.state.nextCustomerId * players,
      commands: g.log.commands.length,
    };
    const r0 = performance.now();
    const replayed = replayLog(g.log);
    replays.push(performance.now() - r0);
    if (stateHash(replayed) !== g.log.end!.hash) throw new Error('replay diverged');
  }
  return { players, ms: median(times), cpuMs: median(cpus), replayMs: median(replays), ...last };
}

// Warm the JIT up first, so the 1-player baseline measures the simulation rather than the compiler.
playBotGame({ scenario, seed: 99, bots: bots(30) });
if (!values['replays-only']) speedFigures();

function speedFigures(): void {
  // First, in a heap with nothing else in it yet: what a finished game holds (its state, its log).
  const heap = heapPerBusiness(2000);
  console.log(
    heap === null
      ? 'heap per business: run with node --expose-gc (npm run bench does) to measure it'
      : `heap per business, 2,000 players at the end of Lemonade Week (state and log): ${(heap / 1024).toFixed(1)} KB`,
  );
  const rows = [1, 30, 2000].map(measure);
  const base = rows[0]!;
  const perPlayerTick = (f: Figures) => f.cpuMs / (f.players * f.ticks);
  console.log(
    `Lemonade Week (${gameSeconds} game seconds, ${base.ticks} ticks), medians of ${runs} runs (3 at most for 2,000 players), node ${process.version}`,
  );
  console.log(
    'players  game ms   cpu ms  replay ms  ticks/s  customers/s  x real time  commands  cpu per player-tick vs 1 player',
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
        (gameSeconds / (f.ms / 1000)).toFixed(0).padStart(12),
        String(f.commands).padStart(9),
        (perPlayerTick(f) / perPlayerTick(base)).toFixed(2).padStart(10),
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

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Heap held by a finished game's state, per business (needs --expose-gc; null without). */
function heapPerBusiness(players: number): number | null {
  if (!gc) return null;
  // Twice: the first collection's sweeping can still be under way when heapUsed is read.
  const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
  const h0 = heap();
  const g = playBotGame({ scenario, seed: 1, bots: bots(players) });
  const held = heap() - h0;
  if (g.state.players.length !== players) throw new Error('players missing');
  return held / players;
}

function replayFigures(players: number, seeks: number): void {
  const g = playBotGame({ scenario, seed: 5, bots: bots(players) });
  const log: GameLog = JSON.parse(JSON.stringify(g.log));
  const end = log.end!.tick;
  const line = (what: string, text: string) =>
    console.log(`${String(players).padStart(5)} players  ${what.padEnd(44)} ${text}`);

  // A checkpoint late in the game: size, encode and decode.
  const at = end - (end % CHECKPOINT_EVERY) - CHECKPOINT_EVERY;
  let atState = null as ReturnType<LogFold['runTo']> | null;
  let atNext = 0;
  const fold: LogFold = new LogFold(log.header, log.commands, {
    atTick: (s) => {
      if (s.tick === at) atNext = fold.next;
    },
  });
  atState = fold.runTo(at);
  let bytes: Uint8Array = new Uint8Array();
  const encodeMs = cpuMs(() => (bytes = encodeCheckpoint(atState!, atNext)));
  const decodeMs = cpuMs(() => decodeCheckpoint(bytes, scenario));
  line(
    'checkpoint at tick ' + at,
    `${(bytes.length / 1024).toFixed(0)} KB (${(bytes.length / players / 1024).toFixed(2)} KB per business), encode ${encodeMs.toFixed(1)} ms, decode ${decodeMs.toFixed(1)} ms cpu`,
  );

  // Recovery: the latest checkpoint (up to one interval before the end) plus the log tail, beside the whole log.
  const wholeMs = cpuMs(() => void new LogFold(log.header, log.commands).runTo(end));
  let restored = atState;
  const restoreMs = cpuMs(() => {
    const cp = decodeCheckpoint(bytes, scenario);
    const tail = new LogFold(log.header, log.commands);
    tail.restore(cp.state, cp.next);
    restored = tail.runTo(end);
  });
  // Checked outside the timing: hashing a 2,000-player state is not part of restoring it.
  if (stateHash(restored) !== log.end!.hash) throw new Error('restore diverged');
  line(
    'restore: checkpoint + log tail (' + (end - at) + ' ticks)',
    `${restoreMs.toFixed(0)} ms cpu (whole log folded: ${wholeMs.toFixed(0)} ms, ${(wholeMs / restoreMs).toFixed(0)}x)`,
  );

  // Seeking: a session played through once (its checkpoints taken), then random ticks.
  const session = new ReplaySession(log);
  const playMs = cpuMs(() => session.seek(end));
  const times: number[] = [];
  for (const t of randomTicks(seeks, end, players)) times.push(cpuMs(() => session.seek(t)));
  line(
    'replay played through (checkpoints taken)',
    `${playMs.toFixed(0)} ms cpu, checkpoints ${(session.checkpointBytes / 1048576).toFixed(1)} MB (one every ${session.every} ticks)`,
  );
  line(
    `seek to a random tick (${seeks} seeks)`,
    `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
  );

  if (players > 100) {
    // Memory for speed: a session allowed every checkpoint (every 50 ticks: ~1.1 GB at 2,000 players,
    // too much for a browser tab, affordable for a server-side replay).
    const roomy = new ReplaySession(log, { checkpointBudget: 2 * 1024 ** 3 });
    roomy.seek(end);
    const roomyTimes = randomTicks(seeks, end, players + 1).map((t) => cpuMs(() => roomy.seek(t)));
    line(
      `seek, all checkpoints kept (${(roomy.checkpointBytes / 1048576).toFixed(0)} MB)`,
      `p50 ${percentile(roomyTimes, 50).toFixed(1)} ms, p99 ${percentile(roomyTimes, 99).toFixed(1)} ms, max ${Math.max(...roomyTimes).toFixed(1)} ms`,
    );
    return;
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
    const f = forkLog(log, forkAt, pid, decisions);
    collectSeries(f.log);
    oldHash = f.log.end!.hash;
  });
  let newHash = '';
  const original = session.seek(end);
  const newMs = cpuMs(() => {
    const f = forkLog(log, forkAt, pid, decisions, {
      from: session.stateBefore(forkAt),
      originalEnd: original,
    });
    collectSeries(f.log, { playerId: pid });
    newHash = f.log.end!.hash;
  });
  if (oldHash !== newHash) throw new Error('the two what-ifs disagree');
  line(
    'what-if fork of one player (fork + series)',
    `${newMs.toFixed(0)} ms cpu (whole class re-simulated: ${oldMs.toFixed(0)} ms, ${(oldMs / newMs).toFixed(0)}x)`,
  );
}

console.log('');
console.log('Replays (one core; ms of CPU)');
replayFigures(30, 400);
replayFigures(2000, 60);
