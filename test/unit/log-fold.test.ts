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
});
