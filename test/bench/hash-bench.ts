/**
 * The end hash's parts, measured (prints figures; asserts only that every variant gives the same hash):
 * stateHash is cyrb53 over JSON.stringify(state), and its value is fixed (old logs carry it). At the end
 * of Lemonade Week with 2,000 bots: the stringify, cyrb53 over the text (charCodeAt, as shared/sim/hash.ts
 * does), the same over bytes (TextEncoder.encodeInto a reused buffer: the same numbers where the text is
 * ASCII), and the text built and hashed a player at a time (no 23 MB string). Alternated, medians.
 * Also the stringify of a copy without the customers in lines and blenders (their text is ~30% of the
 * state's): the full stringify less that one is the most a hasher that formats each customer once (64
 * distinct customers appear 53,200 times at the end) could save, before what its own walk costs.
 *   node --import tsx test/bench/hash-bench.ts [--runs N]
 */
import { parseArgs } from 'node:util';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { BOT_KINDS } from '../../shared/sim/commands.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { cyrb53, stateHash } from '../../shared/sim/hash.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Math.max(1, Number(values.runs) || 9);
const bots = Array.from({ length: 2000 }, (_, i) => BOT_KINDS[i % BOT_KINDS.length]!);
const game = playBotGame({ scenario: builtInScenario('lemonade-week')!, seed: 1, bots });
const state = game.state;

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** cyrb53's ending, as in shared/sim/hash.ts. */
function finish(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

let buffer = new Uint8Array(1 << 16);
const encoder = new TextEncoder();
/** cyrb53 over UTF-8 bytes: the same as over char codes when every char is ASCII (read === written). */
function cyrb53Bytes(text: string): string {
  if (buffer.length < text.length) buffer = new Uint8Array(text.length);
  const r = encoder.encodeInto(text, buffer);
  if (r.read !== text.length || r.written !== text.length) return cyrb53(text);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const b = buffer;
  for (let i = 0; i < text.length; i++) {
    const ch = b[i]!;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish(h1, h2);
}

/** The state's JSON text a player at a time, hashed as it goes (the top level rebuilt as stringify writes it). */
function stateHashByPlayer(s: typeof state): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const feed = (t: string): void => {
    for (let i = 0; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  };
  let sep = '{';
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined) continue;
    feed(sep + JSON.stringify(k) + ':');
    sep = ',';
    if (k !== 'players') {
      feed(JSON.stringify(v));
      continue;
    }
    feed('[');
    s.players.forEach((p, i) => feed((i > 0 ? ',' : '') + JSON.stringify(p)));
    feed(']');
  }
  feed('}');
  return finish(h1, h2);
}

/** The end state without its customers: every line empty, every blender idle (not a valid state: timed only). */
const withoutCustomers = structuredClone(state);
for (const p of withoutCustomers.players)
  for (const s of p.stands) {
    s.queue = [];
    s.serving = null;
  }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const times: Record<string, number[]> = {
  'JSON.stringify(state)': [],
  'cyrb53 over the text (charCodeAt)': [],
  'cyrb53 over encodeInto bytes': [],
  'stateHash (stringify + cyrb53)': [],
  'a player at a time (no big string)': [],
  'JSON.stringify, customers left out': [],
};
const [str, chars, bytes, whole, byPlayer, noCustomers] = Object.values(times) as number[][];
const expected = game.log.end!.hash;
let length = 0;
let withoutLength = 0;
let ascii = false;
for (let r = 0; r < runs; r++) {
  let text = '';
  // Alternated too: the full state's stringify and the one without customers.
  const strings = [
    () => str!.push(cpuMs(() => (text = JSON.stringify(state)))),
    () => noCustomers!.push(cpuMs(() => (withoutLength = JSON.stringify(withoutCustomers).length))),
  ];
  if (r % 2) strings.reverse();
  strings.forEach((f) => f());
  length = text.length;
  ascii = encoder.encodeInto(text, new Uint8Array(text.length)).written === text.length;
  const got: string[] = [];
  // Alternated: the second pass over the 23 MB text finds more of it in cache.
  const pair = [
    () => chars!.push(cpuMs(() => got.push(cyrb53(text)))),
    () => bytes!.push(cpuMs(() => got.push(cyrb53Bytes(text)))),
  ];
  if (r % 2) pair.reverse();
  pair.forEach((f) => f());
  text = '';
  const other = [
    () => whole!.push(cpuMs(() => got.push(stateHash(state)))),
    () => byPlayer!.push(cpuMs(() => got.push(stateHashByPlayer(state)))),
  ];
  if (r % 2) other.reverse();
  other.forEach((f) => f());
  if (got.some((h) => h !== expected))
    throw new Error(`a variant hashed differently: ${got.join(' ')} (end ${expected})`);
}
console.log(
  `end of Lemonade Week, 2,000 bots: state JSON ${(length / 1e6).toFixed(1)} M chars (ASCII: ${ascii ? 'all' : 'not all'}; ` +
    `${(withoutLength / 1e6).toFixed(1)} M without the customers), hash ${expected}; medians of ${runs} runs, ms of CPU, node ${process.version}`,
);
for (const [what, xs] of Object.entries(times))
  console.log(
    `${what.padEnd(36)} ${median(xs).toFixed(1).padStart(7)}   (${xs.map((x) => x.toFixed(0)).join(' ')})`,
  );
