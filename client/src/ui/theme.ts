/**
 * The one list of the page's colours. The stylesheet reads them as CSS variables (`--good`,
 * `--lemon-dark`, ...) set from here at start-up, the charts use them by name, and the pixi palette
 * (src/render/palette.ts) takes the shared ones from here too, so a colour is changed in one place.
 * Text colours meet WCAG AA contrast on the page's light backgrounds.
 */
export const THEME = {
  ink: '#222222',
  paper: '#fffdf3',
  card: '#ffffff',
  lemon: '#ffe14d',
  lemonDark: '#e0b800',
  good: '#1e7b34',
  bad: '#b3261e',
  warn: '#9a5b00',
  info: '#2f4fb5',
  lb: '#6c5ce7',
  notebook: '#00a884',
  muted: '#5b6270',
  /** Demand in charts: a red apart from `bad`, so demand and lost customers never look the same. */
  demand: '#d63031',
} as const;

/** Lines in charts, by what they show: every chart of the same thing has the same colour. */
export const SERIES_COLOURS = {
  demand: THEME.demand,
  capacity: THEME.good,
  served: THEME.info,
  lost: THEME.bad,
  profit: THEME.good,
  line: THEME.lb,
  customers: THEME.warn,
  asPlayed: THEME.info,
  whatIf: THEME.demand,
  playhead: THEME.ink,
} as const;

/** One colour per player in per-player charts (with dashes, since colour alone is not enough). */
export const PLAYER_COLOURS = [
  THEME.demand,
  THEME.info,
  THEME.good,
  THEME.warn,
  THEME.lb,
  THEME.notebook,
  '#e84393',
  '#2d3436',
  '#fd9644',
  '#0fb9b1',
] as const;

/** Sets the CSS variables on the page (`lemonDark` becomes `--lemon-dark`). */
export function applyTheme(root: HTMLElement = document.documentElement): void {
  for (const [name, value] of Object.entries(THEME))
    root.style.setProperty(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
}

/** '#rrggbb' as the number pixi takes. */
export function hexNumber(colour: string): number {
  return Number.parseInt(colour.slice(1), 16);
}
