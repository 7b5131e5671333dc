import { describe, expect, it } from 'vitest';
import { classNameOf } from '../../shared/sim/game-label.ts';
import type { LogHeader } from '../../shared/sim/game-log.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { roomSettingsSchema } from '../../shared/protocol/payloads.ts';

const header = (settings: Record<string, unknown>): LogHeader => ({
  scenario: builtInScenario('fail-whale')!,
  seed: 1,
  settings,
});

describe('class names', () => {
  it('a class name stored before direction controls were refused is shown without them', () => {
    // U+202E turns what follows around: "Year 9 \u202E" made the date beside it read backwards.
    expect(classNameOf(header({ className: 'Year\u202e 9 B\u2066\u2069\u200f' }))).toBe('Year 9 B');
    expect(classNameOf(header({ className: 'Year 9 B' }))).toBe('Year 9 B');
    expect(classNameOf(header({}))).toBe('');
  });

  it('a new one with them is refused, in words', () => {
    const r = roomSettingsSchema.safeParse({ className: 'Year\u202e 9' });
    expect(!r.success && r.error.issues[0]!.message).toBe(
      'a class name must not contain text-direction control characters',
    );
  });
});
