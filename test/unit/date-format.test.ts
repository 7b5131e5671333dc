import { describe, expect, it } from 'vitest';
import { dateTime } from '../../client/src/ui/format.ts';

/** Compare classes and the replay list say when a game was played, readably in any country. */
describe('dateTime', () => {
  // 3 April 2026, 09:12 local time: day and month both fit in 12, so digits alone are ambiguous.
  const played = new Date(2026, 3, 3, 9, 12).getTime();

  it('spells the month, so "3/4" is never read as the 4th of March', () => {
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR', undefined]) {
      const text = dateTime(played, locale);
      expect(text).not.toMatch(/\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/);
      expect(text).toContain('2026');
      expect(text).toMatch(/12/);
    }
    expect(dateTime(played, 'en-GB')).toBe('3 Apr 2026, 09:12');
    expect(dateTime(played, 'en-US')).toBe('Apr 3, 2026, 09:12 AM');
  });
});
