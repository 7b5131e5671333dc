/** The lemonade palette, shared by the canvas so the scene and the page agree. */
export const COLORS = {
  sky: 0xfff8d6,
  grass: 0xd9f2c4,
  path: 0xf1e3c0,
  ink: 0x2b2b2b,
  lemon: 0xffe14d,
  lemonDark: 0xe0b800,
  awning: 0xff6b6b,
  wood: 0xc98b4f,
  woodDark: 0x8f5b2e,
  ok: 0x2e9e44,
  warn: 0xf39c12,
  bad: 0xd63031,
  idle: 0x8a94a6,
  blender: 0x5ec8f2,
  blenderDark: 0x2a7fb8,
  lb: 0x6c5ce7,
  notebook: 0x00a884,
  white: 0xffffff,
  /** Customers: tinted by how long they have waited (and they also slump: shape, not only colour). */
  happy: 0x58c26b,
  waiting: 0xffb84d,
  upset: 0xe0533d,
  gone: 0x9aa3b0,
} as const;

export const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
