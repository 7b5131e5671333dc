import { THEME, hexNumber } from '../ui/theme.ts';

/**
 * The scene's palette. Colours the page also uses come from the one theme (src/ui/theme.ts); the rest
 * are the scene's own (grass, wood, the customers' moods), brighter fills that carry no text.
 */
export const COLORS = {
  sky: 0xfff8d6,
  grass: 0xd9f2c4,
  path: 0xf1e3c0,
  ink: hexNumber(THEME.ink),
  lemon: hexNumber(THEME.lemon),
  lemonDark: hexNumber(THEME.lemonDark),
  awning: 0xff6b6b,
  wood: 0xc98b4f,
  woodDark: 0x8f5b2e,
  ok: 0x2e9e44,
  warn: 0xf39c12,
  bad: 0xd63031,
  idle: 0x8a94a6,
  blender: 0x5ec8f2,
  blenderDark: 0x2a7fb8,
  lb: hexNumber(THEME.lb),
  notebook: hexNumber(THEME.notebook),
  white: 0xffffff,
  /** Customers: tinted by how long they have waited (and they also slump: shape, not only colour). */
  happy: 0x58c26b,
  waiting: 0xffb84d,
  upset: 0xe0533d,
  gone: 0x9aa3b0,
} as const;

export const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
