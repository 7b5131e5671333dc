import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import type { Command } from '../../shared/sim/commands.ts';

function game(): RecordedGame {
  return new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 3, settings: {} });
}

describe('RecordedGame.submit: the log keeps its own copy of each command', () => {
  it('the entry holds the same data with the same keys in the same order (the log bytes)', () => {
    const g = game();
    const commands: Command[] = [
      { type: 'join', playerId: 'p1', name: 'Ada', bot: null },
      { type: 'start' },
      { type: 'buy', item: 'stand', playerId: 'p1' } as Command,
      { type: 'event', event: { kind: 'surge', multiplier: 3, durationSeconds: 20 } } as Command,
    ];
    for (const c of commands) expect(g.submit(c, true).ok, JSON.stringify(c)).toBe(true);
    expect(g.log.commands.map((e) => JSON.stringify(e.cmd))).toEqual(commands.map((c) => JSON.stringify(c)));
  });

  it('changing a submitted object afterwards, nested parts included, leaves the log as it was', () => {
    const g = game();
    g.submit({ type: 'start' }, true);
    const event = {
      type: 'event',
      event: { kind: 'surge', multiplier: 3, durationSeconds: 20 },
    } as Command & {
      event: { multiplier: number };
    };
    expect(g.submit(event, true).ok).toBe(true);
    const logged = JSON.stringify(g.log.commands[1]!.cmd);
    event.event.multiplier = 50;
    (event as { type: string }).type = 'end';
    expect(JSON.stringify(g.log.commands[1]!.cmd)).toBe(logged);
    expect(g.log.commands[1]!.cmd).not.toBe(event);
  });
});
