import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { playerResults } from '../../shared/sim/results.ts';
import { ReplaySession, CHECKPOINT_EVERY } from '../../shared/replay/replay-session.ts';
import { forkLog } from '../../shared/replay/fork.ts';
import { collectSeries } from '../../shared/replay/series.ts';
import { timelineMarks } from '../../shared/replay/timeline.ts';
import { postmortem } from '../../shared/debrief/postmortem.ts';
import { awayMark, awaySummary } from '../../shared/debrief/away-summary.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { step } from '../../shared/sim/step.ts';
import { businessHash } from '../../shared/stream/business-hash.ts';

const BOTS = ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'] as const;
const week = builtInScenario('lemonade-week')!;
const game = playBotGame({ scenario: week, seed: 21, bots: [...BOTS] });
const log = JSON.parse(JSON.stringify(game.log));

describe('replay session', () => {
  it('seeks to any tick, backwards and forwards, and matches a straight replay', () => {
    const session = new ReplaySession(log);
    for (const t of [4000, 50, 5999, 1234, 1234, 0, 3001, 6000]) {
      const expected = stateHash(replayLog(log, { untilTick: t }));
      expect(stateHash(session.seek(t)), `tick ${t}`).toBe(expected);
    }
    expect(stateHash(session.current)).toBe(log.end.hash);
  });

  it('once played through, any seek simulates less than one checkpoint interval', () => {
    const session = new ReplaySession(log);
    session.seek(6000);
    expect(session.simulatedTicks).toBe(6000);
    for (const t of [2 * CHECKPOINT_EVERY + 17, 5999, 10, 3 * CHECKPOINT_EVERY]) {
      const before = session.simulatedTicks;
      session.seek(t);
      expect(session.tick).toBe(t);
      expect(session.simulatedTicks - before, `seek to ${t}`).toBeLessThan(CHECKPOINT_EVERY);
    }
  });

  it('keeps its checkpoints within a memory budget by thinning them out, and still seeks right', () => {
    const session = new ReplaySession(log, { checkpointBudget: 60_000 });
    session.seek(6000);
    expect(session.checkpointBytes).toBeLessThanOrEqual(60_000);
    expect(session.every).toBeGreaterThan(CHECKPOINT_EVERY);
    for (const t of [4321, 17, 5999]) {
      const before = session.simulatedTicks;
      expect(stateHash(session.seek(t)), `tick ${t}`).toBe(stateHash(replayLog(log, { untilTick: t })));
      expect(session.simulatedTicks - before).toBeLessThan(session.every);
    }
  });

  it('replays one business alone, equal to that business in the whole class, at any seek', () => {
    const whole = new ReplaySession(log);
    const alone = new ReplaySession(log, { playerId: 'bot-3' });
    expect(alone.entries.length).toBeLessThan(log.commands.length);
    for (const t of [5999, 120, 3333, 3333, 0, 6000]) {
      const a = alone.seek(t);
      const w = whole.seek(t);
      expect(a.players.map((p) => p.id)).toEqual(['bot-3']);
      expect(businessHash(a, a.players[0]!), `tick ${t}`).toBe(businessHash(w, findPlayer(w, 'bot-3')!));
    }
  });
});

describe('what-if forks', () => {
  it('changes only what follows the fork, and only for the forked player', () => {
    const sc = builtInScenario('chaos-day')!;
    const g = playBotGame({ scenario: sc, seed: 4, bots: ['scale-out', 'hybrid', 'scale-up'] });
    const original = JSON.parse(JSON.stringify(g.log));
    const forkTick = 1000;
    const { log: forked, refused } = forkLog(original, forkTick, 'bot-1', [
      { tick: 1000, cmd: { type: 'buy', playerId: 'bot-1', item: 'notebook' } },
      { tick: 1010, cmd: { type: 'buy', playerId: 'bot-1', item: 'load-balancer' } },
      { tick: 1011, cmd: { type: 'set-lb-mode', playerId: 'bot-1', mode: 'active-active' } },
    ]);
    expect(refused).toEqual([]);
    // Before the fork: the very same game.
    expect(stateHash(replayLog(forked, { untilTick: forkTick - 1 }))).toBe(
      stateHash(replayLog(original, { untilTick: forkTick - 1 })),
    );
    const a = replayLog(original);
    const b = replayLog(forked);
    expect(stateHash(b)).toBe(forked.end!.hash);
    // Everybody else: identical results.
    for (const id of ['bot-2', 'bot-3']) {
      expect(playerResults(b, findPlayer(b, id)!)).toEqual(playerResults(a, findPlayer(a, id)!));
    }
    // The forked player: a different story, now stateless and redundant.
    const before = playerResults(a, findPlayer(a, 'bot-1')!);
    const after = playerResults(b, findPlayer(b, 'bot-1')!);
    expect(after.notebook).toBe(true);
    expect(before.notebook).toBe(false);
    expect(after.lost.failover).toBeLessThan(before.lost.failover);
  });

  it('re-simulates only the forked business, from a checkpoint before the fork: the same fork', () => {
    const decisions = [
      { tick: 2500, cmd: { type: 'buy', playerId: 'bot-1', item: 'stand' } as const },
      { tick: 2600, cmd: { type: 'buy', playerId: 'bot-1', item: 'load-balancer' } as const },
    ];
    const plain = forkLog(log, 2500, 'bot-1', decisions);
    const session = new ReplaySession(log);
    const originalEnd = session.seek(6000);
    const from = session.stateBefore(2500)!;
    expect(from.tick).toBeLessThan(2500);
    expect(from.tick).toBeGreaterThanOrEqual(2500 - CHECKPOINT_EVERY);
    const fast = forkLog(log, 2500, 'bot-1', decisions, { from, originalEnd });
    expect(fast.log).toEqual(plain.log);
    expect(fast.refused).toEqual(plain.refused);
    // The forked log folded whole (every business) gives the end the fork composed.
    expect(stateHash(replayLog(fast.log))).toBe(fast.log.end!.hash);
    expect(fast.business.players.map((p) => p.id)).toEqual(['bot-1']);
    expect(fast.log.end!.hash).not.toBe(log.end.hash);
    expect(() => forkLog(log, 2500, 'bot-1', decisions, { from: session.seek(2600) })).toThrow(RangeError);
  });

  it('reports decisions the forked game cannot afford instead of failing', () => {
    const { refused } = forkLog(log, 10, 'bot-5', [
      { tick: 10, cmd: { type: 'buy', playerId: 'bot-5', item: 'notebook' } },
    ]);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.message).toMatch(/costs/);
  });
});

describe('timeline, series and debrief', () => {
  it('marks the teacher events, the schedule and every purchase', () => {
    const marks = timelineMarks(log, game.state);
    expect(marks.filter((m) => m.kind === 'scheduled')).toHaveLength(week.schedule.length);
    const purchases = marks.filter((m) => m.kind === 'purchase' && m.playerId === 'bot-2');
    expect(purchases.length).toBe(
      log.commands.filter((c: any) => c.cmd.playerId === 'bot-2' && c.cmd.type !== 'join').length,
    );
  });

  it('samples each second and ends at the live results', () => {
    const { series, final } = collectSeries(log);
    expect(series.t.length).toBe(601);
    expect(stateHash(final)).toBe(log.end.hash);
    const p = series.players.find((x) => x.id === 'bot-1')!;
    expect(p.served[600]).toBe(playerResults(game.state, findPlayer(game.state, 'bot-1')!).served);
    // One business alone: the very same samples of that business.
    const alone = collectSeries(log, { playerId: 'bot-1' });
    expect(alone.series.t).toEqual(series.t);
    expect(alone.series.players).toEqual([p]);
    expect(alone.final.players[0]).toEqual(findPlayer(final, 'bot-1'));
  });

  it('tells the scale-up bot that its only stand was a single point of failure', () => {
    const pm = postmortem(log, 'bot-1');
    const outage = pm.entries.find((e) => e.kind === 'outage')!;
    expect(outage.lesson).toBe('L4');
    expect(outage.setup).toContain('1 stand');
    expect(outage.lost).toBeGreaterThan(0);
    // The Friday rush outgrew it.
    expect(pm.entries.some((e) => e.kind === 'overload' && (e.lesson === 'L2' || e.lesson === 'L3'))).toBe(
      true,
    );
  });

  it('tells the redundant bot that the outage cost it nothing worth a stateful loss', () => {
    const pm = postmortem(log, 'bot-3');
    const outage = pm.entries.find((e) => e.kind === 'outage')!;
    expect(outage.lesson).toBe('L8');
    expect(outage.setup).toContain('notebook');
  });

  it('"while you were away" sums up what happened during a disconnection', () => {
    const g = playBotGame({ scenario: week, seed: 9, bots: ['hybrid'], untilTick: 2900 });
    const p = g.state.players[0]!;
    const mark = awayMark(g.state, p);
    for (let i = 0; i < 200; i++) step(g.state);
    const s = awaySummary(g.state, p, mark);
    expect(s.seconds).toBe(20);
    expect(s.served).toBeGreaterThan(0);
    expect(s.events.join()).toContain('Outage');
    expect(s.text).toMatch(
      /^While you were away \(20 s\): \d+ customers? served, \d+ lost, and your cash went (up|down) by \$\d+\./,
    );
  });
});
