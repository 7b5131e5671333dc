import type { Scenario } from '../scenarios/schema.ts';
import type { BotKind, Command } from '../sim/commands.ts';
import { RecordedGame } from '../sim/recorded-game.ts';
import { BotStretchTurns, botSeats } from './bot-turns.ts';

export { botPlayerId } from './bot-turns.ts';

export interface BotGameOptions {
  scenario: Scenario;
  seed: number;
  bots: BotKind[];
  /** Extra commands to submit at given ticks (scripted players, teacher events). */
  script?: { tick: number; cmd: Command }[];
  settings?: Record<string, unknown>;
  /** Stop before the end (for tests that look at a moment). */
  untilTick?: number;
  /**
   * Seat only the bots at these positions of `bots` (from inclusive, to exclusive), with the ids and
   * names they have in the whole class. Businesses never interact, so each is the same business as in
   * the whole class: a benchmark splits a big class over worker threads this way.
   */
  seats?: { from: number; to: number };
}

/**
 * Plays a whole game headless: bots join, the game starts, every tick the bots decide and it advances.
 * Between the script's commands the game runs in stretches, each bot deciding inside its business's
 * (BotStretchTurns): the same game and log as the live room's tick-by-tick BotTurns, several times faster
 * in a big room.
 */
export function playBotGame(opts: BotGameOptions): RecordedGame {
  const game = new RecordedGame({ scenario: opts.scenario, seed: opts.seed, settings: opts.settings ?? {} });
  const seats = botSeats(opts.bots);
  for (const bot of opts.seats ? seats.slice(opts.seats.from, opts.seats.to) : seats) {
    const r = game.submit({ type: 'join', playerId: bot.id, name: bot.name, bot: bot.kind }, true);
    if (!r.ok) throw new Error(r.message);
  }
  const script = [...(opts.script ?? [])].sort((a, b) => a.tick - b.tick);
  let next = 0;
  const runScript = (): void => {
    while (next < script.length && script[next]!.tick <= game.state.tick) {
      game.submit(script[next++]!.cmd);
    }
  };
  runScript();
  game.submit({ type: 'start' }, true);
  const turns = new BotStretchTurns();
  const until = opts.untilTick ?? Infinity;
  while (game.state.status === 'running' && game.state.tick < until) {
    runScript();
    const stop = Math.min(until, next < script.length ? script[next]!.tick : Infinity);
    game.advanceMany(stop - game.state.tick, turns);
  }
  return game;
}
