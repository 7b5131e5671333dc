import { MIN_TEXT_PX, readableScale } from './readable-text.ts';

/** A lane is drawn in these local units and scaled to fit the screen. */
export const LANE_W = 440;
export const LANE_H = 110;
/** The lane's header (title and counters) above its path, in lane units at natural text size. */
export const HEADER_H = 20;
/** The lane's smallest font (its counters): the one the readable scale is worked out for. */
export const LANE_FONT = 13;
/** One row of header words, in lane units at natural text size. */
export const HEADER_ROW = 18;
/** Lanes drawn smaller than this carry no words (a wall of 40 stands on a phone): the table has them. */
const MIN_WORDY_SCALE = 0.15;

/**
 * How the lanes of one cell size are drawn: their scale `s`, the scale `k` of their words inside the
 * lane (above 1 where `s` would make them too small to read), how many header rows the words take, and
 * how far down that pushes the lane's drawing (`bodyY`, lane units). Big lanes keep the title and the
 * counters on one row; small ones get two rows of readable words above a smaller drawing.
 */
export interface LaneFit {
  s: number;
  k: number;
  rows: 0 | 1 | 2;
  bodyY: number;
}

/** A lane's height on screen (px) under `fit`, with the gap to the next lane. */
export function laneHeightPx(fit: LaneFit): number {
  return (LANE_H + 4 + fit.bodyY) * fit.s;
}

/** The biggest lanes that fit a cell of `cellW` x `cellH` px with their words readable (MIN_TEXT_PX). */
export function fitLanes(cellW: number, cellH: number): LaneFit {
  const byWidth = Math.min(cellW / (LANE_W + 8), 1.6);
  const s = Math.min(byWidth, cellH / (LANE_H + 4));
  if (readableScale(LANE_FONT, s) === 1) return { s, k: 1, rows: 1, bodyY: 0 };
  // Two rows of words at MIN_TEXT_PX for the counters: a fixed height on screen, whatever the scale.
  const headerPx = 2 * HEADER_ROW * (MIN_TEXT_PX / LANE_FONT);
  const small = Math.min(byWidth, (cellH - headerPx) / (LANE_H + 4 - HEADER_H));
  if (small < MIN_WORDY_SCALE) return { s, k: 1, rows: 0, bodyY: 0 };
  const k = readableScale(LANE_FONT, small);
  return { s: small, k, rows: 2, bodyY: 2 * HEADER_ROW * k - HEADER_H };
}
