/**
 * Issue 13, seventh round (docs/performance.md): would a structure-of-arrays state pay? The real core
 * beside a prototype of its hot loop (tickSpan and everything under it: routing, serving, the end-of-tick
 * pass) over a structure-of-arrays mirror of each business's stands (soa-span.ts), on the same games: the
 * same customers, the same bots' commands. Both in one process, alternated. Fails unless both give the
 * same end hash (every double of the state).
 *
 * The prototype runs in a copy of shared/ made here and patched in two places (step.ts calls soa-span.ts
 * instead of tickSpan; the wake cache counts its rebuilds), so the game's code carries no hook for it;
 * a patch that no longer applies fails loudly.
 *   node --expose-gc --import tsx test/bench/soa-proto-bench.ts [--runs N] [--players N] [--check]
 * --check first plays 40-bot games of the four built-in scenarios (seeds 1, 7, 2026) both ways and
 * compares their end hashes and their folds' hashes.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as BotGame from '../../shared/bots/bot-game.ts';
import type * as Hash from '../../shared/sim/hash.ts';
import type * as Recorded from '../../shared/sim/recorded-game.ts';
import type * as Soa from './soa-span.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { BOT_KINDS, type BotKind } from '../../shared/sim/commands.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    players: { type: 'string', default: '2000' },
    check: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs) || 5);
const players = Math.max(1, Number(values.players) || 2000);

const root = resolve(import.meta.dirname, '../..');
// Inside the checkout, so that the copy finds node_modules.
const copy = join(root, 'test/bench', `.soa-copy-${process.pid}`);
process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
// Ctrl-C or a kill skips 'exit' unless the signal is handled: leave no copy behind (it is git-ignored too).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
cpSync(join(root, 'shared'), join(copy, 'shared'), { recursive: true });
mkdirSync(join(copy, 'test/bench'), { recursive: true });
cpSync(join(root, 'test/bench/soa-span.ts'), join(copy, 'test/bench/soa-span.ts'));
function patch(file: string, from: string, to: string): void {
  const path = join(copy, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from))
    throw new Error(`soa-proto-bench: ${file} no longer holds ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}
patch(
  'shared/sim/step.ts',
  "import { tickSpan } from './player-tick.ts';",
  "import { soaTickSpan as tickSpan } from '../../test/bench/soa-span.ts';",
);
patch('shared/sim/wake-cache.ts', '  hop: number;\n}', '  hop: number;\n  gen: number;\n}');
patch('shared/sim/wake-cache.ts', '      hop: 0,\n    };', '      hop: 0,\n      gen: 0,\n    };');
patch('shared/sim/wake-cache.ts', '  c.dirty = false;\n', '  c.dirty = false;\n  c.gen++;\n');

interface Sim {
  playBotGame: typeof BotGame.playBotGame;
  replayLog: typeof Recorded.replayLog;
  stateHash: typeof Hash.stateHash;
}
async function load(dir: string): Promise<Sim> {
  const imp = <T>(path: string): Promise<T> => import(pathToFileURL(join(dir, path)).href) as Promise<T>;
  const [bg, rec, hash] = await Promise.all([
    imp<typeof BotGame>('shared/bots/bot-game.ts'),
    imp<typeof Recorded>('shared/sim/recorded-game.ts'),
    imp<typeof Hash>('shared/sim/hash.ts'),
  ]);
  return { playBotGame: bg.playBotGame, replayLog: rec.replayLog, stateHash: hash.stateHash };
}
const sims: Sim[] = [await load(root), await load(copy)];
const { soaCounts } = (await import(pathToFileURL(join(copy, 'test/bench/soa-span.ts')).href)) as typeof Soa;
const names = ['real core', 'SoA mirror'];

const bots = (n: number): BotKind[] => Array.from({ length: n }, (_, i) => BOT_KINDS[i % BOT_KINDS.length]!);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

if (values.check) {
  for (const id of ['lemonade-week', 'going-viral', 'fail-whale', 'chaos-day']) {
    const scenario = builtInScenario(id)!;
    for (const seed of [1, 7, 2026]) {
      const ends = sims.map((s) => s.playBotGame({ scenario, seed, bots: bots(40) }));
      const folds = sims.map((s, k) => s.stateHash(s.replayLog(ends[k]!.log)));
      const same = ends[0]!.log.end!.hash === ends[1]!.log.end!.hash && folds[0] === folds[1];
      console.log(
        `${id} seed ${seed}: ${ends.map((g) => g.log.end!.hash).join(' ')} ${same ? 'same' : 'DIFFER'}`,
      );
      if (!same) throw new Error(`the prototype's ${id} game differs from the real core's`);
    }
  }
}

const scenario = builtInScenario('lemonade-week')!;
for (const s of sims) s.replayLog(s.playBotGame({ scenario, seed: 99, bots: bots(30) }).log); // the JIT warmed up
const game: number[][] = [[], []];
const fold: number[][] = [[], []];
const hashes = new Set<string>();
let counted = '';
for (let r = 0; r < runs; r++) {
  // Alternated, so that neither goes first every time.
  for (const k of r % 2 ? [1, 0] : [0, 1]) {
    const s = sims[k]!;
    globalThis.gc?.();
    let g: ReturnType<Sim['playBotGame']> | null = null;
    const before = { ...soaCounts };
    game[k]!.push(cpuMs(() => (g = s.playBotGame({ scenario, seed: 1, bots: bots(players) }))));
    if (k === 1 && r === 0)
      counted =
        `the mirror in one game: ${soaCounts.spans - before.spans} spans, ${soaCounts.reloads - before.reloads} reloads ` +
        `(${soaCounts.loaded - before.loaded} stands loaded), ${soaCounts.written - before.written} stands written back`;
    hashes.add(g!.log.end!.hash);
    globalThis.gc?.();
    fold[k]!.push(cpuMs(() => s.replayLog(g!.log)));
  }
}
if (hashes.size !== 1) throw new Error(`the games differ: ${[...hashes].join(' ')}`);
console.log(
  `${players} players, Lemonade Week, alternated in one process, medians of ${runs}, ms of CPU of one core`,
);
for (const [what, xs] of [
  ['game with bots', game],
  ['the same log folded', fold],
] as const) {
  const [o, n] = [median(xs[0]!), median(xs[1]!)];
  const x = (ms: number): string => `${((scenario.durationSeconds * 1000) / ms).toFixed(0)}x real time`;
  console.log(
    `${what.padEnd(20)} ${names[0]} ${o.toFixed(0)} ms (${x(o)}), ${names[1]} ${n.toFixed(0)} ms (${x(n)}): ` +
      `${(o / n).toFixed(2)}x   [${xs[0]!.map((v) => v.toFixed(0)).join(' ')} | ${xs[1]!.map((v) => v.toFixed(0)).join(' ')}]`,
  );
}
console.log(`${counted}; end hash ${[...hashes][0]}`);
