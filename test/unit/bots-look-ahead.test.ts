import { describe, expect, it } from 'vitest';
import { builtInScenario, builtInScenarios } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { BOT_KINDS, type BotKind, type Command } from '../../shared/sim/commands.ts';
import type { TeacherEvent } from '../../shared/sim/teacher-events.ts';
import type { GameState, Player } from '../../shared/sim/state.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { BotStretchTurns, BotTurns, botSeats } from '../../shared/bots/bot-turns.ts';
import { BOT_DECISION_TICKS } from '../../shared/bots/bot.ts';

/**
 * Bots that decided to do nothing skip the seconds in which they would do nothing again (look-ahead.ts).
 * Whatever they skip, a game must come out as if every bot had decided every second.
 */

const ev = (tick: number, event: TeacherEvent): { tick: number; cmd: Command } => ({
  tick,
  cmd: { type: 'event', event },
});

// Off the decision ticks: sales and surges that start inside a second and run out inside a stretch,
// overlapping ones, a short outage, and effects that last to the end.
const SCRIPT = [
  ev(133, { kind: 'sale', discountPercent: 50, durationSeconds: 7 }),
  ev(257, { kind: 'surge', multiplier: 3, durationSeconds: 13 }),
  ev(263, { kind: 'surge', multiplier: 2, durationSeconds: 41 }),
  ev(611, { kind: 'sale', discountPercent: 20, durationSeconds: 95 }),
  ev(1234, { kind: 'surge', multiplier: 8, durationSeconds: 4 }),
  ev(1239, { kind: 'sale', discountPercent: 70, durationSeconds: 3 }),
  ev(2001, { kind: 'stand-outage', which: 'biggest', repairSeconds: 7 }),
  ev(2503, { kind: 'surge', multiplier: 1.5, durationSeconds: 600 }),
  ev(2507, { kind: 'sale', discountPercent: 10, durationSeconds: 600 }),
];

const bots = (n: number): BotKind[] => Array.from({ length: n }, (_, i) => BOT_KINDS[i % BOT_KINDS.length]!);

/** Every bot deciding at every decision tick, the room stepping one tick at a time (the live room's way). */
function everySecond(
  scenario: RecordedGame['state']['scenario'],
  seed: number,
  kinds: BotKind[],
): RecordedGame {
  const game = new RecordedGame({ scenario, seed, settings: {} });
  for (const b of botSeats(kinds))
    game.submit({ type: 'join', playerId: b.id, name: b.name, bot: b.kind }, true);
  game.submit({ type: 'start' }, true);
  const turns = new BotTurns(game);
  let next = 0;
  while (game.state.status === 'running') {
    while (next < SCRIPT.length && SCRIPT[next]!.tick <= game.state.tick) game.submit(SCRIPT[next++]!.cmd);
    turns.tick();
  }
  return game;
}

/** BotStretchTurns counting the decisions it makes. */
class CountedTurns extends BotStretchTurns {
  decisions = 0;
  protected override decide(state: GameState, p: Player): readonly Command[] {
    this.decisions++;
    return super.decide(state, p);
  }
}

describe('bots looking ahead', () => {
  for (const sc of builtInScenarios()) {
    it(`${sc.id}: skip only seconds in which they would have done nothing (the same log as every second)`, () => {
      const kinds = bots(20);
      const live = everySecond(sc, 5, kinds);
      const stretched = playBotGame({ scenario: sc, seed: 5, bots: kinds, script: SCRIPT });
      expect(stretched.log.commands.length).toBeGreaterThan(100);
      expect(stretched.log.commands).toEqual(live.log.commands);
      expect(stretched.log.end).toEqual(live.log.end);
      expect(stateHash(stretched.state)).toBe(stateHash(live.state));
    });
  }

  it('make far fewer decisions than one per bot per second', () => {
    const week = builtInScenario('lemonade-week')!;
    const kinds = bots(50);
    const game = new RecordedGame({ scenario: week, seed: 1, settings: {} });
    for (const b of botSeats(kinds))
      game.submit({ type: 'join', playerId: b.id, name: b.name, bot: b.kind }, true);
    game.submit({ type: 'start' }, true);
    const turns = new CountedTurns();
    while (game.state.status === 'running') game.advanceMany(Infinity, turns);
    const acting = kinds.filter((k) => k !== 'do-nothing').length;
    const everySecondCount = acting * (week.durationSeconds * (10 / BOT_DECISION_TICKS));
    // Measured: 15% of them (145k of 960k in the 2,000-bot week; 45% when bots saving up still stopped
    // their business's stretch each second to look at their cash).
    expect(turns.decisions).toBeLessThan(0.25 * everySecondCount);
    expect(turns.decisions).toBeGreaterThan(0.05 * everySecondCount);
  });
});
