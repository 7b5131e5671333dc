import { describe, expect, it } from 'vitest';
import { BOT_KINDS } from '../../shared/sim/commands.ts';
import { botOffer, strategyText } from '../../client/src/ui/format.ts';

/** The host form offers each bot in the words the leaderboard will use for it, never by its code name. */
describe('botOffer', () => {
  it('names each bot as the lists do and says what it plays as the leaderboard does', () => {
    expect(BOT_KINDS.map(botOffer)).toEqual([
      'Scale-Up Sam: ⬆️ Scale up',
      'Scale-Out Sue: ↔️ Scale out',
      'Redundant Rae: ↔️ Scale out 📒 stateless 🛟 redundant',
      'Hybrid Hal: 🔀 Hybrid 🛟 redundant',
      'Idle Ida: 💤 No scaling',
    ]);
  });

  it('shows no code name and no "Bot: " prefix', () => {
    for (const kind of BOT_KINDS) {
      const text = botOffer(kind);
      expect(text).not.toMatch(/Bot: |scale-up|scale-out|stateless-redundant|do-nothing|no-scaling/);
    }
  });
});

describe('strategyText', () => {
  it("is the leaderboard's words for a strategy and its badges, with nothing after them", () => {
    expect(strategyText('scale-up', [])).toBe('⬆️ Scale up');
    expect(strategyText('hybrid', ['stateless', 'redundant'])).toBe('🔀 Hybrid 📒 stateless 🛟 redundant');
  });
});
