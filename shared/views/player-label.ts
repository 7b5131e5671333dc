/**
 * How a player is named on screen, the one place a bot gets its mark. A bot's name in the game begins
 * with "Bot: " (shared/bots/bot-profiles.ts: the logs and pinned state hashes hold it) and every list added the
 * 🤖 mark after it ("Bot: Hybrid Hal 🤖 bot"): the lists now show the name without its "Bot: " and the
 * mark comes from the player's `bot` field, which a student cannot set (a student called "Bot: Sam" is
 * still a student, and keeps the name).
 */
export const BOT_MARK = '🤖 bot';

/** A player, as the views carry one: `bot` is its bot kind (or, in the game history, a flag); null or false for a student. */
type Named = { name: string; bot: string | boolean | null };

/** What a bot's name in the game begins with (BOT_NAMES), which the lists leave out. */
const BOT_PREFIX = /^Bot: /;

/** A player's name as the lists show it, without the mark: a bot's "Bot: " prefix dropped. */
export function shownName(p: Named): string {
  return !p.bot ? p.name : p.name.replace(BOT_PREFIX, '');
}

/** A player's name with the bot mark where it is a bot: "Hybrid Hal 🤖 bot", "Ann". */
export function playerLabel(p: Named): string {
  return !p.bot ? p.name : `${shownName(p)} ${BOT_MARK}`;
}

/**
 * A nickname that would pass for a bot's: the mark, or a bot's "Bot: " (a student called "Hybrid Hal 🤖
 * bot" looked exactly like the bot). Refused at join; a bot's name without its "Bot: " is taken in its
 * room like any other nickname (server/rooms/room-roster.ts).
 */
export function looksLikeABot(nickname: string): boolean {
  return nickname.includes('🤖') || /^\s*bot\s*:/i.test(nickname);
}
