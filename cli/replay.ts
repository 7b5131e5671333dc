/**
 * Re-runs a game log and prints the results and the state hash.
 *   npm run replay -- <log.json> [--verify] [--at TICK] [--json]
 * --verify exits 3 when the replay does not reproduce the hash recorded at the end of the log.
 */
import { readFileSync } from 'node:fs';
import { parseLog } from '../shared/sim/game-log.ts';
import { LogReplayError, replayLog } from '../shared/sim/recorded-game.ts';
import { stateHash } from '../shared/sim/hash.ts';
import { leaderboard, strategyComparison } from '../shared/sim/results.ts';
import { resultsTable } from './results-table.ts';
import { UsageError, parseOneArg, runCli } from './usage-error.ts';

const USAGE = `usage: npm run replay -- <log.json> [--verify] [--at TICK] [--json]
  --verify    exit non-zero unless the replay reproduces the final state hash recorded in the log
  --at TICK   show the game at that tick (after the commands that took effect then) instead of the end
  --json      print results and hash as JSON`;

runCli(() => {
  const cli = parseOneArg(
    {
      verify: { type: 'boolean', default: false },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    USAGE,
    'log file',
  );
  if (!cli) return;
  const { arg: file, values } = cli;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  const r = parseLog(json);
  if (!r.ok) throw new UsageError(`${file} is not a usable game log:\n  ${r.errors.join('\n  ')}`);
  const log = r.value;
  let at: number | undefined;
  if (values.at !== undefined) {
    if (!/^\d+$/.test(values.at)) throw new UsageError(`--at must be a tick number, not "${values.at}"`);
    at = Number(values.at);
  }
  if (values.verify && at !== undefined)
    throw new UsageError('--verify checks the end of the game; drop --at');
  if (values.verify && !log.end)
    throw new UsageError(`${file} records no final hash (the game did not finish), nothing to verify`);

  let state;
  try {
    state = replayLog(log, { untilTick: at });
  } catch (e) {
    if (e instanceof LogReplayError) throw new UsageError(`${file} is damaged: ${e.message}`);
    throw e;
  }
  const hash = stateHash(state);
  const rows = leaderboard(state);
  const matches = log.end ? hash === log.end.hash : null;
  if (values.json) {
    process.stdout.write(
      JSON.stringify(
        {
          tick: state.tick,
          status: state.status,
          hash,
          recordedHash: log.end?.hash ?? null,
          matches,
          players: rows,
          strategies: strategyComparison(rows),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const sc = log.header.scenario;
    process.stdout.write(
      `${sc.name} (${sc.id}), seed ${log.header.seed}, at tick ${state.tick} (${state.status})\n\n`,
    );
    process.stdout.write(resultsTable(rows) + '\n\n');
    process.stdout.write(`state hash ${hash}`);
    if (log.end && at === undefined)
      process.stdout.write(
        matches ? ' (matches the recorded hash)' : ` (recorded ${log.end.hash}: MISMATCH)`,
      );
    process.stdout.write('\n');
  }
  if (values.verify && !matches) {
    process.stderr.write(
      `replay does not reproduce the recorded hash: got ${hash}, recorded ${log.end!.hash}\n`,
    );
    process.exit(3);
  }
});
