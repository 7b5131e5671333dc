import { describe, expect, it } from 'vitest';
import { nameKey } from '../../shared/protocol/name-key.ts';
import { joinSchema } from '../../shared/protocol/payloads.ts';

const typed = (nickname: string) => joinSchema.safeParse({ roomCode: 'ABCDE', nickname });

describe('nicknames', () => {
  it('gives look-alikes of "Ada" the same key', () => {
    const ada = nameKey('Ada');
    for (const lookalike of [
      'ada',
      ' ADA ',
      'Ada\u200b', // zero-width space
      'A\u200dda', // zero-width joiner
      '\u0410da', // Cyrillic А
      '\u13aa\u13e7\u0430', // Cherokee Ꭺ Ꮷ, Cyrillic а
      '\uff21\uff44\uff41', // full-width
      '\u{1d400}\u{1d41d}\u{1d41a}', // mathematical bold
    ])
      expect(nameKey(lookalike), JSON.stringify(lookalike)).toBe(ada);
    for (const other of ['Adam', 'Eda', 'Ad a', 'Bob']) expect(nameKey(other), other).not.toBe(ada);
  });

  it('keeps names in other scripts distinct from each other', () => {
    expect(nameKey('李雷')).not.toBe(nameKey('韩梅梅'));
    expect(nameKey('Мария')).not.toBe(nameKey('Иван'));
    expect(nameKey('🍋 Lemon')).toBe(nameKey('🍋 lemon'));
  });

  it('normalises what is typed: NFKC, invisible characters removed, direction controls refused', () => {
    const r = typed('\uff21da\u200b');
    expect(r.success && r.data.nickname).toBe('Ada');
    const emoji = typed('👩\u200d💻 Dev');
    expect(emoji.success && emoji.data.nickname).toBe('👩\u200d💻 Dev');
    for (const bad of ['Ada\u202e', '\u2067Ada', 'A\u200fda']) {
      const refused = typed(bad);
      expect(refused.success, JSON.stringify(bad)).toBe(false);
      expect(refused.error?.issues[0]?.message).toMatch(/direction/);
    }
    expect(typed('\u200b\u200b').success).toBe(false); // nothing visible left
  });
});
