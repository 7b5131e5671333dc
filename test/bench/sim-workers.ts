/**
 * The 2,000-player game split over worker threads (issue 13 item 3, optional): businesses never
 * interact, so each worker plays the whole room's part (the common customers, the events) with a slice
 * of the class (playBotGame's `seats`), and the slices' businesses put together are the whole class's,
 * hash for hash (checked against the one-core game). Printed apart from the one-core figures: it scales
 * with the cores free, not with the simulation's speed.
 *
 * Used by sim-bench.ts (`--workers N`); a worker runs this file with its slice in workerData.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import type { BotKind } from '../../shared/sim/commands.ts';
import type { GameState, Player } from '../../shared/sim/state.ts';
import { stateHash } from '../../shared/sim/hash.ts';

interface Slice {
  scenario: string;
  seed: number;
  bots: BotKind[];
  from: number;
  to: number;
}

interface SliceResult {
  /** The room without its players, and the slice's businesses. */
  room: GameState;
  players: Player[];
  /** CPU and wall time of playing the slice, in the worker (ms). */
  cpuMs: number;
  wallMs: number;
}

function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const w = workerData as Slice;
  const scenario = builtInScenario(w.scenario)!;
  // Warm the JIT up as the one-core bench does, then wait for the start (all workers warm).
  playBotGame({ scenario, seed: 99, bots: w.bots.slice(0, 30) });
  port.once('message', () => {
    const c0 = cpuNow();
    const t0 = performance.now();
    const g = playBotGame({ scenario, seed: w.seed, bots: w.bots, seats: { from: w.from, to: w.to } });
    const result: SliceResult = { ...split(g.state), cpuMs: cpuNow() - c0, wallMs: performance.now() - t0 };
    port.postMessage(result);
  });
  port.postMessage('ready');
}

function split(state: GameState): { room: GameState; players: Player[] } {
  const { players, ...room } = state;
  return { room: { ...room, players: [] }, players };
}

/** A worker's entry: TypeScript through tsx, as the bench itself runs (node --import tsx). */
const WORKER_MAIN = `import('tsx/esm/api')
  .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;

export interface WorkerFigures {
  workers: number;
  /** From the start signal (every worker warm) to the last slice's businesses received. */
  wallMs: number;
  /** The slowest slice's own wall and CPU time (without sending its businesses back). */
  slowestWallMs: number;
  slowestCpuMs: number;
  hash: string;
}

/**
 * Plays `bots` over `workers` threads, each a slice of the class, and puts the businesses together
 * (their hash is the whole class's). Timed once every worker has started and warmed its JIT up.
 */
export async function playInWorkers(
  scenario: string,
  seed: number,
  bots: BotKind[],
  workers: number,
): Promise<WorkerFigures> {
  const size = Math.ceil(bots.length / workers);
  const threads = Array.from({ length: workers }, (_, k) => {
    const slice: Slice = { scenario, seed, bots, from: k * size, to: Math.min(bots.length, (k + 1) * size) };
    return new Worker(WORKER_MAIN, { eval: true, workerData: slice });
  });
  const next = (w: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  await Promise.all(threads.map(next)); // 'ready'
  const t0 = performance.now();
  const done = threads.map((w) => next(w) as Promise<SliceResult>);
  for (const w of threads) w.postMessage('go');
  const results = await Promise.all(done);
  const wallMs = performance.now() - t0;
  for (const w of threads) void w.terminate();
  const merged: GameState = { ...results[0]!.room, players: results.flatMap((r) => r.players) };
  return {
    workers,
    wallMs,
    slowestWallMs: Math.max(...results.map((r) => r.wallMs)),
    slowestCpuMs: Math.max(...results.map((r) => r.cpuMs)),
    hash: stateHash(merged),
  };
}
