import type { BotKind } from '../sim/commands.ts';
import type { Badge, StrategyLabel } from '../sim/results.ts';

/**
 * Who the reference bots are, as data only (no decisions: those are index.ts's), so that a screen can
 * name and describe them without carrying the bots' code.
 */

/**
 * A bot's name in the game: it begins with "Bot: " because that is what every game's log and state hold
 * (the pinned state hashes of test/unit/determinism.test.ts, checkpoints and saved logs all carry it). The
 * lists show it without, marked from the player's `bot` field (shared/views/player-label.ts): they said
 * "Bot: Hybrid Hal 🤖 bot".
 */
export const BOT_NAMES: Record<BotKind, string> = {
  'scale-up': 'Bot: Scale-Up Sam',
  'scale-out': 'Bot: Scale-Out Sue',
  'stateless-redundant': 'Bot: Redundant Rae',
  hybrid: 'Bot: Hybrid Hal',
  'do-nothing': 'Bot: Idle Ida',
};

/**
 * What each bot plays, in the labels the leaderboard will give its purchases (strategyOf and badgesOf,
 * shared/sim/results.ts): the host form offers the bots in the leaderboard's words, where it listed
 * their code names ("stateless-redundant", "do-nothing"). test/unit/lessons.test.ts checks that a whole
 * game gives each bot these labels.
 */
export const BOT_PLAYS: Record<BotKind, { strategy: StrategyLabel; badges: readonly Badge[] }> = {
  'scale-up': { strategy: 'scale-up', badges: [] },
  'scale-out': { strategy: 'scale-out', badges: [] },
  'stateless-redundant': { strategy: 'scale-out', badges: ['stateless', 'redundant'] },
  hybrid: { strategy: 'hybrid', badges: ['redundant'] },
  'do-nothing': { strategy: 'no-scaling', badges: [] },
};
