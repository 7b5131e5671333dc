/**
 * Headless simulator: plays a scenario with reference bots and prints the results.
 *   npm run sim -- <built-in scenario | scenario.json> [--bots a,b,...] [--seed N] [--json] [--log FILE]
 */
import { writeFileSync } from 'node:fs';
import { BOT_KINDS, type BotKind } from '../shared/sim/commands.ts';
import { playBotGame } from '../shared/bots/bot-game.ts';
import { leaderboard, strategyComparison } from '../shared/sim/results.ts';
import { stateHash } from '../shared/sim/hash.ts';
import { loadScenario } from './scenario-source.ts';
import { resultsTable } from './results-table.ts';
import { UsageError, parseOneArg, runCli } from './usage-error.ts';

const USAGE = `usage: npm run sim -- <scenario> [--bots ${BOT_KINDS.join(',')}] [--seed N] [--json] [--log FILE]
  <scenario>   a built-in scenario id (lemonade-week, going-viral, fail-whale, chaos-day) or a scenario JSON file
  --bots       comma-separated bot kinds; a kind may repeat (default: one of each)
  --seed       game seed, 0..4294967295 (default 1)
  --json       print per-player metrics and the final state hash as JSON
  --log FILE   write the game log (header + commands + end hash), replayable with npm run replay`;

function parseBots(list: string): BotKind[] {
  const bots = list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (bots.length === 0) throw new UsageError('--bots needs at least one bot kind');
  for (const b of bots) {
    if (!(BOT_KINDS as readonly string[]).includes(b)) {
      throw new UsageError(`unknown bot "${b}"; bots are: ${BOT_KINDS.join(', ')}`);
    }
  }
  if (bots.length > 5000) throw new UsageError('--bots: at most 5000 bots');
  return bots as BotKind[];
}

export function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text) || Number(text) > 0xffffffff)
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, not "${text}"`);
  return Number(text);
}

runCli(() => {
  const cli = parseOneArg(
    {
      bots: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      log: { type: 'string' },
    },
    USAGE,
    'scenario',
  );
  if (!cli) return;
  const { values } = cli;
  const scenario = loadScenario(cli.arg);
  const bots = values.bots === undefined ? [...BOT_KINDS] : parseBots(values.bots);
  const seed = parseSeed(values.seed);

  const game = playBotGame({ scenario, seed, bots, settings: { source: 'cli' } });
  const rows = leaderboard(game.state);
  const hash = stateHash(game.state);
  if (values.log) {
    try {
      writeFileSync(values.log, JSON.stringify(game.log) + '\n');
    } catch (e) {
      throw new UsageError(`cannot write the log to ${values.log}: ${(e as Error).message}`);
    }
  }
  if (values.json) {
    const out = {
      scenario: scenario.id,
      seed,
      ticks: game.state.tick,
      hash,
      players: rows,
      strategies: strategyComparison(rows),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    `${scenario.name} (${scenario.id}), seed ${seed}, ${scenario.durationSeconds} s, ${bots.length} bots\n\n`,
  );
  process.stdout.write(resultsTable(rows) + '\n\n');
  process.stdout.write(`state hash ${hash}${values.log ? `; log written to ${values.log}` : ''}\n`);
});
