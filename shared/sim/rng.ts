import { portableLog } from './portable-log.ts';

/**
 * Seeded pseudo-random generator (sfc32) whose whole state is four 32-bit integers kept inside the game
 * state, so a snapshot, a hash or a replay carries the generator along with everything else.
 */
export type RngState = [number, number, number, number];

/** splitmix32 expands one seed (and a stream label) into a well-mixed generator state. */
export function seedRng(seed: number, stream: number): RngState {
  let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state: RngState = [next(), next(), next(), next()];
  // sfc32 wants a few rounds to forget a weak seed.
  for (let i = 0; i < 12; i++) nextUint32(state);
  return state;
}

export function nextUint32(r: RngState): number {
  let a = r[0],
    b = r[1],
    c = r[2],
    d = r[3];
  const t = (((a + b) | 0) + d) | 0;
  d = (d + 1) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) | 0;
  r[0] = a;
  r[1] = b;
  r[2] = c;
  r[3] = d;
  return t >>> 0;
}

/** Uniform in [0, 1). */
export function nextFloat(r: RngState): number {
  return nextUint32(r) / 4294967296;
}

/**
 * Exponential with mean 1; uses 1-u so the logarithm never sees 0. The logarithm is portableLog, not
 * Math.log, whose last bit differs between engines (a replay in a browser must equal the server's game).
 */
export function nextExp(r: RngState): number {
  return -portableLog(1 - nextFloat(r));
}
