import type { Bot } from './bot.ts';

/** The baseline: keeps the business it started with and never buys anything. */
export const doNothingBot: Bot = () => [];
