import type { GameLog } from '../sim/game-log.ts';
import type { GameSeries, PlayerSeries } from '../replay/series.ts';
import { collectSeries } from '../replay/series.ts';
import { LESSONS, type LessonId } from './lessons.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { describeEvent, type TeacherEvent } from '../sim/teacher-events.ts';

/** One moment of a student's game worth talking about, with what the business had then. */
export interface PostmortemEntry {
  second: number;
  until: number;
  kind: 'surge' | 'outage' | 'chaos' | 'overload';
  title: string;
  /** The business at that moment, in words. */
  setup: string;
  lost: number;
  peakLine: number;
  /**
   * The moment that told the losses of seconds this one shares with it (its window began first in the
   * telling: events before overloads, earlier before later), or null: `lost` counts only the rest.
   */
  countedUnder: { title: string; second: number } | null;
  lesson: LessonId | null;
  lessonText: string | null;
}

export interface Postmortem {
  playerId: string;
  name: string;
  entries: PostmortemEntry[];
}

function setupAt(p: PlayerSeries, i: number): string {
  const stands = p.stands[i]!;
  const parts = [`${stands} stand${stands === 1 ? '' : 's'} (biggest blender tier ${p.maxTier[i]})`];
  parts.push(
    p.lbs[i] === 0 ? 'no load balancer' : p.lbs[i] === 1 ? 'one load balancer' : 'two load balancers',
  );
  parts.push(
    p.notebook[i] === 0
      ? 'no notebook (stateful)'
      : p.notebook[i] === 1
        ? 'the notebook (no replica)'
        : 'notebook + replica',
  );
  return parts.join(', ');
}

/**
 * The customers lost in (from, to] and the longest line then. Each second's losses are told once: a
 * second already told by an earlier moment (overlapping events, an overload beside an event) is
 * skipped, so the moments never add up to more than the game lost; the others are marked as told by
 * `teller` (a moment's number + 1 in `told`). `toldBy`: the number of the moment that told the first
 * skipped second (-1: none).
 */
function windowOf(
  p: PlayerSeries,
  from: number,
  to: number,
  told: Int32Array,
  teller: number,
): { lost: number; peakLine: number; toldBy: number } {
  const a = Math.min(from, p.lost.length - 1);
  const b = Math.min(to, p.lost.length - 1);
  let peak = 0;
  let lost = 0;
  let toldBy = -1;
  for (let i = a; i <= b; i++) peak = Math.max(peak, p.line[i]!);
  for (let i = a + 1; i <= b; i++) {
    if (told[i]) {
      if (toldBy < 0 && told[i] !== teller + 1) toldBy = told[i]! - 1;
      continue;
    }
    told[i] = teller + 1;
    lost += p.lost[i]! - p.lost[i - 1]!;
  }
  return { lost, peakLine: peak, toldBy };
}

function durationOf(e: TeacherEvent): number {
  if ('durationSeconds' in e) return e.durationSeconds;
  if ('repairSeconds' in e) return e.repairSeconds;
  return 10;
}

/**
 * The customers the business lost in (from, to], told earlier or not: what the moment cost it. A
 * moment's `lost` counts only the seconds no earlier moment told (windowOf), so a surge inside Chaos
 * Day's chaos window has `lost` 0 while its customers walked away; its lesson is chosen from these.
 */
function lostIn(p: PlayerSeries, from: number, to: number): number {
  const last = p.lost.length - 1;
  return p.lost[Math.min(to, last)]! - p.lost[Math.min(from, last)]!;
}

/**
 * Which lesson a moment shows, from what happened and what the business had; `lost`: every customer
 * lost in the moment's seconds (lostIn), not only those it tells, so the lesson agrees with the panel
 * ("counted under ..." beside a lesson for a moment that cost nothing was a contradiction).
 */
function lessonFor(
  kind: PostmortemEntry['kind'],
  target: string,
  p: PlayerSeries,
  i: number,
  lost: number,
): LessonId | null {
  const stands = p.stands[i]!;
  const lbs = p.lbs[i]!;
  const notebook = p.notebook[i]!;
  if (kind === 'outage' || kind === 'chaos') {
    // A balancer or notebook outage only matters to a business that has one.
    if (target === 'load-balancer') return lbs >= 1 ? 'L9' : null;
    if (target === 'notebook') return notebook >= 1 ? 'L9' : null;
    if (stands === 1 || lbs === 0) return 'L4';
    // Several stands behind a balancer: stateful loses the line and the tabs, stateless nothing.
    return 'L8';
  }
  if (stands > 1 && lbs === 0) return 'L6';
  if (stands === 1 && p.maxTier[i] === 5) return 'L3';
  if (stands === 1) return lost > 0 ? 'L2' : 'L1';
  return 'L5';
}

/**
 * A student's game as a story: every surge, outage and chaos strike, and any stretch where customers
 * were lost without one (demand outgrew the business), with what the business had and the lesson.
 */
export function postmortem(log: GameLog, playerId: string, pre?: GameSeries): Postmortem {
  const series = pre ?? collectSeries(log).series;
  const p = series.players.find((x) => x.id === playerId);
  if (!p) return { playerId, name: '?', entries: [] };
  const entries: PostmortemEntry[] = [];
  const covered = new Set<number>();
  const lastSecond = series.t.length - 1;
  const told = new Int32Array(series.t.length);
  /** Every moment by its number (the order it was told in), and the number of the one that told its shared seconds. */
  const byNumber: PostmortemEntry[] = [];
  const underNumber: number[] = [];

  const events = [
    ...log.commands.flatMap((c) => (c.cmd.type === 'event' ? [{ tick: c.tick, event: c.cmd.event }] : [])),
    ...log.header.scenario.schedule.map((e) => ({
      tick: Math.round(e.atSeconds * TICKS_PER_SECOND),
      event: e.event,
    })),
  ].sort((x, y) => x.tick - y.tick);
  for (const { tick, event } of events) {
    const second = Math.floor(tick / TICKS_PER_SECOND);
    if (second > lastSecond) continue;
    if (event.kind === 'announce' || event.kind === 'sale' || event.kind === 'rent-rise') continue;
    const until = Math.min(lastSecond, second + Math.ceil(durationOf(event)));
    const { lost, peakLine, toldBy } = windowOf(p, second, until, told, byNumber.length);
    const kind: PostmortemEntry['kind'] =
      event.kind === 'surge' ? 'surge' : event.kind === 'chaos' ? 'chaos' : 'outage';
    const target =
      event.kind === 'lb-outage' ? 'load-balancer' : event.kind === 'notebook-outage' ? 'notebook' : 'stand';
    const lesson =
      kind === 'chaos'
        ? p.lbs[second]! >= 2 && p.notebook[second]! !== 1
          ? 'L9'
          : 'L4'
        : lessonFor(kind, target, p, second, lostIn(p, second, until));
    for (let s = second; s <= until; s++) covered.add(s);
    const entry: PostmortemEntry = {
      second,
      until,
      kind,
      title: describeEvent(event),
      setup: setupAt(p, second),
      lost,
      peakLine,
      countedUnder: null,
      lesson,
      lessonText: lesson ? LESSONS[lesson] : null,
    };
    entries.push(entry);
    byNumber.push(entry);
    underNumber.push(toldBy);
  }

  // Stretches of heavy losses that no event explains: demand outgrew the business.
  const WINDOW = 10;
  for (let s = 0; s + WINDOW <= lastSecond; s += WINDOW) {
    if (covered.has(s)) continue;
    // An overload window right after the previous one extends it (told as one moment).
    const prev = entries[entries.length - 1];
    const extendsPrev = prev !== undefined && prev.kind === 'overload' && prev.until === s;
    const teller = extendsPrev ? byNumber.indexOf(prev) : byNumber.length;
    // Measured on a copy: a quiet window must not mark its seconds as told.
    const trial = told.slice();
    const { lost, peakLine, toldBy } = windowOf(p, s, s + WINDOW, trial, teller);
    const arrivals = series.demand.slice(s, s + WINDOW).reduce((a, b) => a + b, 0);
    if (lost >= 5 && lost > 0.2 * arrivals) {
      told.set(trial);
      if (extendsPrev) {
        prev.until = s + WINDOW;
        prev.lost += lost;
        prev.peakLine = Math.max(prev.peakLine, peakLine);
        if (underNumber[teller]! < 0) underNumber[teller] = toldBy;
        continue;
      }
      const lesson = lessonFor('overload', 'stand', p, s, lostIn(p, s, s + WINDOW));
      const entry: PostmortemEntry = {
        second: s,
        until: s + WINDOW,
        kind: 'overload',
        title: overloadTitle(series.demand.slice(s, s + WINDOW + 1), p.capacity.slice(s, s + WINDOW + 1)),
        setup: setupAt(p, s),
        lost,
        peakLine,
        countedUnder: null,
        lesson,
        lessonText: lesson ? LESSONS[lesson] : null,
      };
      entries.push(entry);
      byNumber.push(entry);
      underNumber.push(toldBy);
    }
  }
  for (let n = 0; n < byNumber.length; n++) {
    const under = byNumber[underNumber[n]!];
    if (under) byNumber[n]!.countedUnder = { title: under.title, second: under.second };
  }
  entries.sort((a, b) => a.second - b.second);
  return { playerId, name: p.name, entries };
}

/**
 * Says what the numbers show: demand above capacity at its peak, or, when capacity was enough on
 * average, that customers came in bunches (never "outgrew" beside a capacity twice the demand).
 */
function overloadTitle(demand: number[], capacity: number[]): string {
  let peak = 0;
  for (let i = 1; i < demand.length; i++) if (demand[i]! > demand[peak]!) peak = i;
  const d = demand[peak]!.toFixed(1);
  const c = capacity[peak]!.toFixed(1);
  return demand[peak]! > capacity[peak]!
    ? `Demand outgrew the business (up to ${d} customers/s for ${c} cups/s)`
    : `Lines overflowed though capacity was enough on average (${d} customers/s for ${c} cups/s): customers arrive in bunches`;
}
