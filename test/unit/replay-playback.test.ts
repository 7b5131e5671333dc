import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { replayLog } from '../../shared/sim/recorded-game.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { ReplayPlayback } from '../../client/src/replay/replay-playback.ts';

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
