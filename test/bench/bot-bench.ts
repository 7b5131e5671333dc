/**
 * The reference bots' share of a 2,000-bot Lemonade Week (prints figures; asserts only that games agree):
 * - the bots' decisions alone: the game played with every decision made once, then 1 + K times (a bot is
 *   a pure function of the moment and its business, so the extra calls change nothing but the time);
 *   the difference / K is what the decisions cost a game;
 * - with `--baseline DIR`, the game old (DIR's checkout) beside new, alternated in one process, and as a
 *   control the fold of the same log (no bots: the simulation alone, which should come out even).
 *   node --expose-gc --import tsx test/bench/bot-bench.ts [--baseline DIR] [--runs N] [--times K]
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as BotTurnsModule from '../../shared/bots/bot-turns.ts';
import type * as Recorded from '../../shared/sim/recorded-game.ts';
import type { BotKind, Command } from '../../shared/sim/commands.ts';
import type { GameState, Player } from '../../shared/sim/state.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { BOT_KINDS } from '../../shared/sim/commands.ts';
import { loadSimulation, type Simulation } from './sim-impl.ts';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    runs: { type: 'string', default: '5' },
    times: { type: 'string', default: '4' },
  },
});
const runs = Math.max(1, Number(values.runs) || 5);
const K = Math.max(1, Number(values.times) || 4);
const scenario = builtInScenario('lemonade-week')!;
const bots = (n: number): BotKind[] => Array.from({ length: n }, (_, i) => BOT_KINDS[i % BOT_KINDS.length]!);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(' ');

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** A checkout's game loop with each bot decision made `1 + extra` times (the first one's commands kept). */
async function amplified(dir: string) {
  const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(dir, path)).href) as Promise<T>;
  const { BotStretchTurns, botSeats } = await load<typeof BotTurnsModule>('shared/bots/bot-turns.ts');
  const { RecordedGame } = await load<typeof Recorded>('shared/sim/recorded-game.ts');
  class Repeated extends BotStretchTurns {
    constructor(private readonly extra: number) {
      super();
    }
    protected override decide(state: GameState, p: Player): readonly Command[] {
      for (let i = 0; i < this.extra; i++) super.decide(state, p);
      return super.decide(state, p);
    }
  }
  return (players: number, extra: number): { ms: number; hash: string } => {
    const game = new RecordedGame({ scenario, seed: 1, settings: {} });
    for (const b of botSeats(bots(players)))
      game.submit({ type: 'join', playerId: b.id, name: b.name, bot: b.kind }, true);
    game.submit({ type: 'start' }, true);
    const turns = new Repeated(extra);
    const ms = cpuMs(() => {
      while (game.state.status === 'running') game.advanceMany(Infinity, turns);
    });
    return { ms, hash: game.log.end!.hash };
  };
}

const play = await amplified(resolve(import.meta.dirname, '../..'));
play(30, K); // the JIT warmed up on both paths
const once: number[] = [];
const repeated: number[] = [];
for (let r = 0; r < runs; r++) {
  const a = play(2000, 0);
  const b = play(2000, K);
  if (a.hash !== b.hash) throw new Error('a repeated decision changed the game');
  once.push(a.ms);
  repeated.push(b.ms);
}
const share = (median(repeated) - median(once)) / K;
console.log(
  `2,000 bots, Lemonade Week, medians of ${runs} runs, ms of CPU, node ${process.version}: game ${median(once).toFixed(0)} ` +
    `(${fmt(once)}), with each decision made ${1 + K} times ${median(repeated).toFixed(0)} (${fmt(repeated)}): ` +
    `the decisions ~${share.toFixed(0)} ms of a game (${((100 * share) / median(once)).toFixed(1)}%)`,
);

if (values.baseline) {
  const sims: Simulation[] = [
    await loadSimulation(resolve(values.baseline)),
    await loadSimulation(resolve(import.meta.dirname, '../..')),
  ];
  for (const s of sims) s.replayLog(s.playBotGame({ scenario, seed: 99, bots: bots(30) }).log);
  const game: number[][] = [[], []];
  const fold: number[][] = [[], []];
  const hashes = new Set<string>();
  for (let r = 0; r < runs; r++) {
    // Alternated, so that neither checkout always goes first.
    for (const k of r % 2 ? [1, 0] : [0, 1]) {
      const s = sims[k]!;
      let g: ReturnType<Simulation['playBotGame']> | null = null;
      game[k]!.push(cpuMs(() => (g = s.playBotGame({ scenario, seed: 1, bots: bots(2000) }))));
      hashes.add(g!.log.end!.hash);
      fold[k]!.push(cpuMs(() => s.replayLog(g!.log)));
    }
  }
  if (hashes.size !== 1) throw new Error(`the checkouts' games differ: ${[...hashes].join(' ')}`);
  const row = (what: string, xs: number[][]): void => {
    const [o, n] = [median(xs[0]!), median(xs[1]!)];
    console.log(
      `${what.padEnd(44)} old ${o.toFixed(0)} ms (${((scenario.durationSeconds * 1000) / o).toFixed(0)}x real time), new ${n.toFixed(0)} ms ` +
        `(${((scenario.durationSeconds * 1000) / n).toFixed(0)}x): ${(o / n).toFixed(2)}x   [old ${fmt(xs[0]!)} | new ${fmt(xs[1]!)}]`,
    );
  };
  console.log(`old: ${values.baseline}, new: this checkout, alternated, medians of ${runs}, one core`);
  row('2,000 players, game with bots', game);
  row('control: the same log folded (no bots)', fold);
}
