import type { Scenario } from '../scenarios/schema.ts';
import type { BotKind, Command } from '../sim/commands.ts';
import { RecordedGame } from '../sim/recorded-game.ts';
import { BOT_NAMES, botCommands } from './index.ts';

export interface BotGameOptions {
  scenario: Scenario;
  seed: number;
  bots: BotKind[];
  /** Extra commands to submit at given ticks (scripted players, teacher events). */
  script?: { tick: number; cmd: Command }[];
  settings?: Record<string, unknown>;
  /** Stop before the end (for tests that look at a moment). */
  untilTick?: number;
}

/** Player id of the n-th bot in a bot game: stable, so scripts and tests can refer to it. */
export const botPlayerId = (index: number): string => `bot-${index + 1}`;

/** Plays a whole game headless: bots join, the game starts, every tick the bots decide and it advances. */
export function playBotGame(opts: BotGameOptions): RecordedGame {
  const game = new RecordedGame({ scenario: opts.scenario, seed: opts.seed, settings: opts.settings ?? {} });
  opts.bots.forEach((kind, i) => {
    const r = game.submit(
      { type: 'join', playerId: botPlayerId(i), name: `${BOT_NAMES[kind]} ${i + 1}`, bot: kind },
      true,
    );
    if (!r.ok) throw new Error(r.message);
  });
  const script = [...(opts.script ?? [])].sort((a, b) => a.tick - b.tick);
  let next = 0;
  const runScript = (): void => {
    while (next < script.length && script[next]!.tick <= game.state.tick) {
      game.submit(script[next++]!.cmd);
    }
  };
  runScript();
  game.submit({ type: 'start' }, true);
  const until = opts.untilTick ?? Infinity;
  while (game.state.status === 'running' && game.state.tick < until) {
    runScript();
    for (const cmd of botCommands(game.state)) game.submit(cmd, true);
    game.advance();
  }
  return game;
}
