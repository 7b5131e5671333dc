import type { Headcount } from '../../../shared/views/headcount.ts';
import type { BotKind } from '../../../shared/sim/commands.ts';
import { BOT_NAMES, BOT_PLAYS } from '../../../shared/bots/bot-profiles.ts';
import { shownName } from '../../../shared/views/player-label.ts';

/** How numbers read on screen. Money, shares and waits are shared with the terminal's tables. */
export { money, pct, secs } from '../../../shared/views/number-format.ts';

export function rate(perSecond: number): string {
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * When a game was played, with the month spelled out in the browser's language ("29 Nov 2026, 09:12";
 * in US English "Nov 29, 2026, 09:12 AM"): the bare toLocaleString() gave "11/29/2026" in a US browser,
 * which a teacher elsewhere reads as the 11th of a 29th month, or, for a date like 3/4, the wrong day.
 */
export function dateTime(ms: number, locale?: string): string {
  return dateTimeFormat(locale).format(ms);
}

const formats = new Map<string | undefined, Intl.DateTimeFormat>();
function dateTimeFormat(locale: string | undefined): Intl.DateTimeFormat {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(locale, f);
  }
  return f;
}

/** Lesson L10: a cup per second stands for this many requests per second. */
export function requests(cupsPerSecond: number, requestsPerCup: number): string {
  const r = cupsPerSecond * requestsPerCup;
  if (r >= 1e6) return `${(r / 1e6).toFixed(1)}M req/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(r >= 1e4 ? 0 : 1)}K req/s`;
  return `${Math.round(r)} req/s`;
}

/** A stand as students see it everywhere (live, replay, what-if): "#1", counted from one. */
export function standLabel(number: number): string {
  return `#${number}`;
}

/**
 * Where the lost customers went, in one wording for the HUD and the stands table. Outage losses
 * belong to no stand's line, which is why a stand's "lost here" adds up to less than the total.
 */
export function lostBreakdown(lost: {
  impatient: number;
  balked: number;
  outage: number;
  failover: number;
}): string {
  return `${lost.impatient} gave up waiting · ${lost.balked} saw a long line · ${lost.outage + lost.failover} in outages`;
}

/**
 * Who is in the game, students and reference bots counted apart, so a status line never says "7
 * players" beside a leaderboard whose bots are marked as bots.
 */
export function headcount({ students, bots }: Headcount): string {
  const s = `${students} student${students === 1 ? '' : 's'}`;
  return bots ? `${s} + ${bots} bot${bots === 1 ? '' : 's'}` : s;
}

/**
 * The same count in a student's lobby, short for a phone's top bar: "3 joined", "1 joined · 3 bots" (the
 * students are the classmates who joined; the teacher's bots were added, and said apart).
 */
export function joinedCount({ students, bots }: Headcount): string {
  return `${students} joined${bots ? ` · ${bots} bot${bots === 1 ? '' : 's'}` : ''}`;
}

/**
 * A game the teacher ended before its time was up, in one wording wherever a game is shown: the replay
 * list, a replay's title, the results page and the student's game-over card (those two said nothing, so a
 * class compared the numbers of a five-minute game with a full one's).
 */
export const ENDED_EARLY = '⏹ ended early';

/** The same, where a game's results are shown: what it means for them. */
export const ENDED_EARLY_NOTE = `${ENDED_EARLY}: the teacher stopped the game before its time was up`;

export const STRATEGY_TEXT: Record<string, string> = {
  'scale-up': '⬆️ Scale up',
  'scale-out': '↔️ Scale out',
  hybrid: '🔀 Hybrid',
  'no-scaling': '💤 No scaling',
};

export const BADGE_TEXT: Record<string, string> = {
  stateless: '📒 stateless',
  redundant: '🛟 redundant',
};

/** A strategy with its badges, as the leaderboard says them: "↔️ Scale out 📒 stateless 🛟 redundant". */
export function strategyText(strategy: string, badges: readonly string[]): string {
  return [STRATEGY_TEXT[strategy] ?? strategy, ...badges.map((b) => BADGE_TEXT[b] ?? b)].join(' ');
}

/**
 * A reference bot as the host form offers it: the name the class will see and what it plays, in the
 * leaderboard's words ("Redundant Rae: ↔️ Scale out 📒 stateless 🛟 redundant"). The form listed the
 * code names ("stateless-redundant", "do-nothing"), which a teacher never sees anywhere else.
 */
export function botOffer(kind: BotKind): string {
  const { strategy, badges } = BOT_PLAYS[kind];
  return `${shownName({ name: BOT_NAMES[kind], bot: kind })}: ${strategyText(strategy, badges)}`;
}
