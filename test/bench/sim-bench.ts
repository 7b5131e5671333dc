/**
 * Simulation benchmark (prints figures; asserts nothing): Lemonade Week played by reference bots with
 * 1, 30 and 2,000 players on one core. The 1-player game is the baseline measured in the same run, so
 * the per-player cost can be quoted as a ratio whatever the machine is doing.
 *   npm run bench [-- --runs N]
 */
import { parseArgs } from 'node:util';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { BOT_KINDS, type BotKind } from '../../shared/sim/commands.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs) || 5);
const scenario = builtInScenario('lemonade-week')!;
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
