import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { LogReplayError, replayLog } from '../../shared/sim/log-fold.ts';
import { stateHash } from '../../shared/sim/hash.ts';

const week = builtInScenario('lemonade-week')!;

describe('one fold of a game log', () => {
  it('RecordedGame logs the command it applied (parsed), so a nickname with spaces replays to the same hash', () => {
    const g = new RecordedGame({ scenario: week, seed: 3, settings: {} });
    expect(g.submit({ type: 'join', playerId: 'p-1', name: '  Ann  ', bot: null }).ok).toBe(true);
    expect(g.submit({ type: 'start' }).ok).toBe(true);
    for (let i = 0; i < 50; i++) g.advance();
    expect(g.log.commands[0]!.cmd).toEqual({ type: 'join', playerId: 'p-1', name: 'Ann', bot: null });
    expect(stateHash(replayLog(g.log, { untilTick: 50 }))).toBe(stateHash(g.state));
  });

  it('refuses malformed input without logging it', () => {
    const g = new RecordedGame({ scenario: week, seed: 3, settings: {} });
    expect(g.submit({ type: 'join', playerId: 'p 1', name: 'Ann', bot: null })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(g.log.commands).toEqual([]);
  });

  it('RecordedGame.fromLog carries on a game exactly where the live one was, and refuses a damaged log', () => {
    const live = playBotGame({ scenario: week, seed: 5, bots: ['hybrid', 'scale-out'], untilTick: 1200 });
    const full = playBotGame({ scenario: week, seed: 5, bots: ['hybrid', 'scale-out'] });
    const back = RecordedGame.fromLog(live.log, { untilTick: 1200 });
    expect(stateHash(back.state)).toBe(stateHash(live.state));
    const whole = RecordedGame.fromLog(full.log);
    expect(whole.log.end).toEqual(full.log.end);

    const damaged = structuredClone(full.log);
    damaged.end = { tick: damaged.end!.tick, hash: 'not-the-hash' };
    expect(() => RecordedGame.fromLog(damaged)).toThrow(LogReplayError);
    const unreachable = structuredClone(live.log);
    unreachable.commands.push({ tick: 999_999, cmd: { type: 'start' } });
    expect(() => replayLog(unreachable, { untilTick: 1_000_000 })).toThrow(/cannot reach/);
  });

  it('a player command that does not apply, or is out of order, inside a stretch is refused as tick by tick', () => {
    const g = playBotGame({
      scenario: week,
      seed: 5,
      bots: ['hybrid', 'scale-out', 'scale-up'],
      untilTick: 900,
    });
    const ticks = g.log.commands.map((e) => e.tick);
    // A command for bot-2 between the bots' own, far from any room-wide command: inside a stretch.
    const at = ticks.findIndex((t) => t > 400);
    const bad = structuredClone(g.log);
    bad.commands.splice(at, 0, {
      tick: bad.commands[at]!.tick,
      cmd: { type: 'upgrade', playerId: 'bot-2', standId: 999 },
    });
    expect(() => replayLog(bad, { untilTick: 900 })).toThrow(
      new RegExp(
        `commands\\.${at} \\(upgrade at tick ${bad.commands[at]!.tick}\\) does not apply: You have no stand #999`,
      ),
    );
    // Right after a command of a later tick: out of order.
    expect(ticks[at]).toBeGreaterThan(300);
    const late = structuredClone(g.log);
    late.commands.splice(at + 1, 0, { tick: 300, cmd: { type: 'buy', playerId: 'bot-1', item: 'stand' } });
    expect(() => replayLog(late, { untilTick: 900 })).toThrow(
      /it is for tick 300, which the game has passed/,
    );
    // And folded stretch by stretch, the intact log is the game.
    expect(stateHash(replayLog(g.log, { untilTick: 900 }))).toBe(stateHash(g.state));
  });
});
