import type { GameState, Player } from '../sim/state.ts';
import type { BotKind, PlayerCommand } from '../sim/commands.ts';
import { BOT_DECISION_TICKS, NO_COMMANDS, botView, type Bot } from './bot.ts';
import { scaleUpBot } from './scale-up-bot.ts';
import { scaleOutBot } from './scale-out-bot.ts';
import { statelessRedundantBot } from './stateless-redundant-bot.ts';
import { hybridBot } from './hybrid-bot.ts';
import { doNothingBot } from './do-nothing-bot.ts';

export const BOTS: Record<BotKind, Bot> = {
  'scale-up': scaleUpBot,
  'scale-out': scaleOutBot,
  'stateless-redundant': statelessRedundantBot,
  hybrid: hybridBot,
  'do-nothing': doNothingBot,
};

/** The commands every bot in the game wants to send at this tick (empty between decision ticks). */
export function botCommands(state: GameState): PlayerCommand[] {
  if (state.status !== 'running' || state.tick % BOT_DECISION_TICKS !== 0) return [];
  const out: PlayerCommand[] = [];
  for (const p of state.players) {
    if (!p.removed) for (const c of botDecision(state, p)) out.push(c);
  }
  return out;
}

/** What one bot sends at a decision tick (nothing for a student): it reads the room and its own business only. */
export function botDecision(state: GameState, p: Player): readonly PlayerCommand[] {
  const bot = botRule(p);
  return bot === null ? NO_COMMANDS : bot(botView(state, p));
}

/** The rule a player's bot decides by; null for a student and for the bot that never sends anything. */
export function botRule(p: Player): Bot | null {
  return p.bot === null || p.bot === IDLE_BOT ? null : BOTS[p.bot];
}

/** The bot that never sends anything (doNothingBot): it needs no view and no turns. */
const IDLE_BOT: BotKind = 'do-nothing';

/** Does this player ever send a bot's command? Not a student, nor the bot that never does anything. */
export function botActs(p: Player): boolean {
  return botRule(p) !== null;
}
