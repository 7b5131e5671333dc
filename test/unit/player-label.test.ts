import { describe, expect, it } from 'vitest';
import { botSeats } from '../../shared/bots/bot-turns.ts';
import { playerLabel, shownName } from '../../shared/views/player-label.ts';
import type { BotKind } from '../../shared/sim/commands.ts';

/** A playtest's results page said "Bot: Hybrid Hal 🤖 bot": the name and the mark both said bot. */
describe('player label', () => {
  const kinds: BotKind[] = ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing', 'hybrid'];

  it('says "bot" once for every bot a game seats, numbered ones too', () => {
    for (const seat of botSeats(kinds)) {
      // The mark is the bot field's: the name's own "Bot: " (kept in the game's state) is not shown, or
      // it was said twice wherever the mark was added.
      const label = playerLabel({ name: seat.name, bot: seat.kind });
      expect(label.match(/bot/gi), label).toHaveLength(1);
      expect(label).toMatch(/ 🤖 bot$/);
    }
    expect(playerLabel({ name: botSeats(kinds)[5]!.name, bot: 'hybrid' })).toBe('Hybrid Hal 2 🤖 bot');
  });

  it('drops the "Bot: " a bot name begins with in the game', () => {
    expect(playerLabel({ name: 'Bot: Hybrid Hal', bot: 'hybrid' })).toBe('Hybrid Hal 🤖 bot');
    expect(playerLabel({ name: 'Bot: Idle Ida', bot: true })).toBe('Idle Ida 🤖 bot');
  });

  it('leaves a student as named, with no mark: only the bot field makes a bot', () => {
    expect(playerLabel({ name: 'Ann', bot: null })).toBe('Ann');
    expect(playerLabel({ name: 'Bot: Sam', bot: null })).toBe('Bot: Sam');
    expect(shownName({ name: 'Bot: Sam', bot: false })).toBe('Bot: Sam');
  });
});
