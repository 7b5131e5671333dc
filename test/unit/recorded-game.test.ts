import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import fc from 'fast-check';
import { copyCommand, RecordedGame } from '../../shared/sim/recorded-game.ts';
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

describe('copyCommand: the same data as structuredClone, for anything a command can hold', () => {
  it('equal (undefined-valued keys, nesting and arrays included), same key order, same JSON, no shared parts', () => {
    // Commands are JSON-like data: objects, arrays, strings, numbers, booleans, null, and keys whose
    // value is undefined (optional fields set to undefined by a caller).
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string(),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
      ),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 }),
    })).object;
    const keysDeep = (v: unknown): unknown =>
      typeof v !== 'object' || v === null
        ? null
        : Array.isArray(v)
          ? v.map(keysDeep)
          : Object.entries(v).map(([k, x]) => [k, keysDeep(x)]);
    fc.assert(
      fc.property(value, (v) => {
        const copy = copyCommand(v);
        const cloned = structuredClone(v);
        expect(copy).toStrictEqual(cloned);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(cloned));
        expect(keysDeep(copy)).toEqual(keysDeep(cloned));
        if (typeof v === 'object' && v !== null) expect(copy).not.toBe(v);
      }),
      // An own "__proto__" key (what JSON.parse makes of one) is data, copied as such: found by this property.
      { numRuns: 500, examples: [[JSON.parse('{"__proto__": {"a": 1}, "b": [1]}') as unknown]] },
    );
  });
});
