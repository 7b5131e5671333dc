import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { postmortem } from '../../shared/debrief/postmortem.ts';
import { collectSeries } from '../../shared/replay/series.ts';
import { playerResults } from '../../shared/sim/results.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';

/** The debrief's moments and the results are the same numbers: no customer is counted twice. */
describe('debrief moments', () => {
  const week = builtInScenario('lemonade-week')!;
  // Overlapping teacher events: a long surge, and a second surge inside it.
  const at = (s: number): number => s * TICKS_PER_SECOND;
  const game = playBotGame({
    scenario: week,
    seed: 7,
    bots: ['scale-up', 'do-nothing', 'scale-out'],
    script: [
      { tick: at(100), cmd: { type: 'event', event: { kind: 'surge', multiplier: 4, durationSeconds: 40 } } },
      { tick: at(120), cmd: { type: 'event', event: { kind: 'surge', multiplier: 3, durationSeconds: 20 } } },
    ],
  });
  const log = JSON.parse(JSON.stringify(game.log));
  const { series } = collectSeries(log);

  for (const id of ['bot-1', 'bot-2', 'bot-3']) {
    it(`never adds up to more than ${id} lost, and overlapping moments share no second`, () => {
      const pm = postmortem(log, id, series);
      const results = playerResults(game.state, findPlayer(game.state, id)!);
      const told = pm.entries.reduce((n, e) => n + e.lost, 0);
      expect(told).toBeLessThanOrEqual(results.lost.total);
      const p = series.players.find((x) => x.id === id)!;
      // The two overlapping surges together: exactly the losses from 100 s to the end of the last.
      const overlap = pm.entries.filter((e) => e.kind === 'surge' && e.second >= 100 && e.second <= 120);
      expect(overlap).toHaveLength(2);
      const end = Math.max(...overlap.map((e) => e.until));
      expect(overlap.reduce((n, e) => n + e.lost, 0)).toBe(p.lost[end]! - p.lost[100]!);
    });
  }

  it('never says demand outgrew a business whose capacity was above it', () => {
    for (const id of ['bot-1', 'bot-2', 'bot-3']) {
      for (const e of postmortem(log, id, series).entries.filter((x) => x.kind === 'overload')) {
        const m = /\(up to ([\d.]+) customers\/s for ([\d.]+) cups\/s\)/.exec(e.title);
        if (m) expect(Number(m[1])).toBeGreaterThan(Number(m[2]));
        else expect(e.title).toContain('customers arrive in bunches');
      }
    }
  });
});

/**
 * The playtest on Chaos Day: a teacher's x5 surge at 2:02, inside the chaos window (0:20-5:50). Its
 * losses are counted under the chaos moment, so the surge tells 0; its lesson must still come from the
 * customers lost in its seconds ("scaling up gets expensive", not "scaling up is simple").
 */
describe('a moment inside an earlier one', () => {
  const chaosDay = builtInScenario('chaos-day')!;
  // One stand, no balancer: the business a lone blender makes.
  const scenario = { ...chaosDay, start: { ...chaosDay.start, stands: 1, loadBalancer: false } };
  const g = new RecordedGame({ scenario, seed: 4, settings: {} });
  g.submit({ type: 'join', playerId: 'ann', name: 'Ann', bot: null });
  g.submit({ type: 'start' });
  while (g.state.status === 'running') {
    if (g.state.tick === 122 * TICKS_PER_SECOND)
      g.submit({ type: 'event', event: { kind: 'surge', multiplier: 5, durationSeconds: 30 } });
    g.advance();
  }
  const log = JSON.parse(JSON.stringify(g.log));
  const { series } = collectSeries(log);

  it('picks its lesson from the customers lost in its seconds, not from the 0 it tells', () => {
    const entries = postmortem(log, 'ann', series).entries;
    const surge = entries.find((e) => e.kind === 'surge')!;
    expect(surge.second).toBe(122);
    expect(entries.find((e) => e.kind === 'chaos')!.second).toBeLessThan(122);
    expect(surge.lost).toBe(0);
    const p = series.players.find((x) => x.id === 'ann')!;
    expect(p.lost[surge.until]! - p.lost[surge.second]!).toBeGreaterThan(50);
    expect(surge.lesson).toBe('L2');
    // The panel and the CSV say where its losses were counted.
    const chaos = entries.find((e) => e.kind === 'chaos')!;
    expect(surge.countedUnder).toEqual({ title: chaos.title, second: chaos.second });
    expect(chaos.countedUnder).toBeNull();
  });
});

/**
 * Every moment that tells less than its window lost names the moment that told the rest (`countedUnder`,
 * what the panel and the CSV say), and their windows overlap; one that names none told all it lost.
 */
function expectCountedUnderNamed(log: Parameters<typeof postmortem>[0], id: string): number {
  const { series } = collectSeries(log);
  const p = series.players.find((x) => x.id === id)!;
  const entries = postmortem(log, id, series).entries;
  let namedLater = 0;
  for (const e of entries) {
    const inWindow = p.lost[e.until]! - p.lost[e.second]!;
    if (e.countedUnder === null) {
      expect(e.lost, `${id} ${e.title} at ${e.second}`).toBe(inWindow);
      continue;
    }
    const under = entries.find(
      (x) => x.second === e.countedUnder!.second && x.title === e.countedUnder!.title,
    );
    expect(under, `${id} ${e.title}: ${e.countedUnder.title}`).toBeDefined();
    expect(under!.second <= e.until && e.second <= under!.until).toBe(true);
    if (under!.second > e.second) namedLater++;
  }
  return namedLater;
}

describe("where a moment's shared losses were counted", () => {
  it('names the moment that told them, in every built-in scenario', () => {
    for (const sc of ['lemonade-week', 'going-viral', 'fail-whale', 'chaos-day']) {
      const game = playBotGame({
        scenario: builtInScenario(sc)!,
        seed: 7,
        bots: ['scale-up', 'do-nothing', 'scale-out'],
        script: [
          {
            tick: 100 * TICKS_PER_SECOND,
            cmd: { type: 'event', event: { kind: 'surge', multiplier: 4, durationSeconds: 40 } },
          },
          {
            tick: 125 * TICKS_PER_SECOND,
            cmd: { type: 'event', event: { kind: 'surge', multiplier: 3, durationSeconds: 20 } },
          },
        ],
      });
      const log = JSON.parse(JSON.stringify(game.log));
      for (const id of ['bot-1', 'bot-2', 'bot-3']) expectCountedUnderNamed(log, id);
    }
  });

  it('an overload that began before a surge names the surge: events are told first', () => {
    // A business that never grows is overloaded from about 2:00; the teacher's x2 surge at 2:35 starts
    // inside the overload window (2:00-2:40), and its seconds from 2:35 are the surge's to tell.
    const game = playBotGame({
      scenario: builtInScenario('lemonade-week')!,
      seed: 7,
      bots: ['do-nothing'],
      script: [
        {
          tick: 155 * TICKS_PER_SECOND,
          cmd: { type: 'event', event: { kind: 'surge', multiplier: 2, durationSeconds: 20 } },
        },
      ],
    });
    const log = JSON.parse(JSON.stringify(game.log));
    expect(expectCountedUnderNamed(log, 'bot-1')).toBeGreaterThan(0);
    const entries = postmortem(log, 'bot-1').entries;
    const surge = entries.find((e) => e.kind === 'surge')!;
    const overload = entries.find((e) => e.kind === 'overload' && e.second < 155 && e.until > 155)!;
    expect(surge.countedUnder).toBeNull();
    expect(overload.countedUnder).toEqual({ title: surge.title, second: 155 });
  });
});
