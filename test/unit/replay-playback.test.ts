import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { ReplayPlayback } from '../../client/src/replay/replay-playback.ts';
import { CHECKPOINT_EVERY } from '../../shared/replay/replay-session.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';
import type { Command } from '../../shared/sim/commands.ts';

/** The replay screen's player, driven without a page. */
describe('replay playback', () => {
  const game = playBotGame({
    scenario: builtInScenario('lemonade-week')!,
    seed: 11,
    bots: ['scale-out', 'scale-up'],
  });
  const log = JSON.parse(JSON.stringify(game.log));
  const end: number = log.end.tick;

  it('seeks within the game only', () => {
    const p = new ReplayPlayback(log, end, 'bot-1');
    p.seek(-50);
    expect(p.tick).toBe(0);
    p.seek(10_000);
    expect(p.tick).toBe(end);
    p.seek(300);
    p.stepSeconds(-2);
    expect(p.tick).toBe(280);
  });

  it('plays at the chosen speed and stops at the end', () => {
    const p = new ReplayPlayback(log, end, 'bot-1');
    p.seek(100);
    p.speed = 4;
    p.setPlaying(true);
    expect(p.advance(0.5)).toBe(true);
    expect(p.tick).toBe(120);
    p.seek(end - 3);
    p.setPlaying(true);
    p.advance(10);
    expect(p.tick).toBe(end);
    expect(p.playing).toBe(false);
    p.setPlaying(true);
    expect(p.playing).toBe(false);
  });

  it("shows the watched player's business as the game had it at that tick", () => {
    const p = new ReplayPlayback(log, end, 'bot-2');
    p.seek(600);
    const v = p.view()!;
    const state = replayLog(log, { untilTick: 600 });
    expect(v.me.id).toBe('bot-2');
    expect(v.tick).toBe(600);
    expect(v.me.cash).toBeCloseTo(findPlayer(state, 'bot-2')!.cash, 2);
    p.selected = 'bot-1';
    expect(p.view()!.me.id).toBe('bot-1');
  });

  it('keeps a what-if fork in step', () => {
    const p = new ReplayPlayback(log, end, 'bot-1');
    expect(p.forkView()).toBeNull();
    p.setFork({ log, playerId: 'bot-1' });
    p.seek(450);
    expect(p.forkView()!.tick).toBe(450);
    expect(p.forkView()!.me.cash).toBe(p.view()!.me.cash);
  });
});

/**
 * What one seek of the replay screen costs, counted (not timed, so it cannot flake): the screen seeks
 * through ReplayPlayback, whose session must fold each tick once, stop only where it has to (a
 * checkpoint, a room-wide command, the target) and encode one checkpoint per interval. A screen or session that
 * observed every tick (no stretches), re-folded from the start or encoded per tick fails here. The
 * browser test (test/e2e/replay.spec.ts) prints the same seek's time.
 */
describe('the cost of a replay seek, counted', () => {
  const kinds = ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'] as const;
  const week = builtInScenario('lemonade-week')!;
  const game = playBotGame({
    scenario: week,
    seed: 3,
    bots: Array.from({ length: 30 }, (_, i) => kinds[i % kinds.length]!),
  });
  const log = JSON.parse(JSON.stringify(game.log));
  const end: number = log.end.tick;
  const target = 120 * TICKS_PER_SECOND;

  it('from the start to 2:00 of a 30-player game: each tick once, stopping only where it must', () => {
    const p = new ReplayPlayback(log, end, 'bot-1');
    const s = p.session;
    p.seek(target);
    expect(p.tick).toBe(target);
    expect(s.simulatedTicks).toBe(target);
    // A checkpoint at tick 0 and every interval up to the target, each encoded once.
    expect(s.checkpointsEncoded).toBe(target / CHECKPOINT_EVERY + 1);
    const stops = new Set<number>([0, target]);
    for (let t = 0; t <= target; t += CHECKPOINT_EVERY) stops.add(t);
    // Room-wide commands (joins, kicks, the teacher's) stop the fold; a player's own commands do not
    // (log-fold.ts's EntryTurns: each business takes them inside its stretch).
    for (const e of log.commands as { tick: number; cmd: Command }[]) {
      const roomWide = !('playerId' in e.cmd) || e.cmd.type === 'join' || e.cmd.type === 'kick';
      if (e.tick <= target && roomWide) stops.add(e.tick);
    }
    // The fold stops there, and at most twice more per scheduled event (step.ts runs an event's tick
    // alone); the ticks between run as stretches, business by business.
    const events = week.schedule.filter((e) => e.atSeconds * TICKS_PER_SECOND <= target).length;
    expect(s.observedTicks).toBeGreaterThanOrEqual(stops.size);
    expect(s.observedTicks).toBeLessThanOrEqual(stops.size + 2 * events);
    expect(stops.size + 2 * events).toBeLessThan(target / 20);
  });

  it('later seeks start from a checkpoint: less than an interval folded, nothing encoded again', () => {
    const p = new ReplayPlayback(log, end, 'bot-1');
    const s = p.session;
    p.seek(target);
    const encoded = s.checkpointsEncoded;
    for (const t of [700, 1234, 3, 1199, 650]) {
      const before = s.simulatedTicks;
      p.seek(t);
      expect(p.tick).toBe(t);
      expect(s.simulatedTicks - before, `seek to ${t}`).toBeLessThan(CHECKPOINT_EVERY);
    }
    expect(s.checkpointsEncoded).toBe(encoded);
  });
});
