import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { cloneState } from '../../shared/sim/clone-state.ts';
import { step, stepMany, type BusinessTurns } from '../../shared/sim/step.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import type { Command } from '../../shared/sim/commands.ts';
import type { GameState, Player } from '../../shared/sim/state.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { BotTurns, botSeats } from '../../shared/bots/bot-turns.ts';

/**
 * A bot saving up does not stop its business's stretch every second: its turn names the cash that brings
 * its next turn forward, and stepMany compares the business's cash at each decision tick
 * (step.ts's BusinessTurns.cashAtLeast, look-ahead.ts's savingTurn).
 */

const week = builtInScenario('lemonade-week')!;

function started(kind: 'scale-up' | 'do-nothing'): RecordedGame {
  const game = new RecordedGame({ scenario: week, seed: 3, settings: {} });
  const [seat] = botSeats([kind]);
  game.submit({ type: 'join', playerId: seat!.id, name: seat!.name, bot: kind }, true);
  game.submit({ type: 'start' }, true);
  return game;
}

/** The first business takes a turn at the stretch's start, asking for one again when its cash reaches `cash`. */
class Saver implements BusinessTurns {
  readonly seen: { tick: number; cash: number }[] = [];
  cashAtLeast = Infinity;
  readonly cashEvery = 10;
  constructor(private readonly cash: number) {}
  first(_p: Player, i: number, from: number): number {
    return i === 0 ? from : Infinity;
  }
  turn(_state: GameState, p: Player, _i: number, tick: number): number {
    this.seen.push({ tick, cash: p.cash });
    this.cashAtLeast = this.seen.length === 1 ? this.cash : Infinity;
    return Infinity;
  }
}

describe('bots saving up', () => {
  it('stepMany brings a turn forward at the first check tick whose boundary has the cash, not a tick off', () => {
    const game = started('do-nothing');
    while (game.state.tick < 1000) game.advance();
    const start = game.state.tick;
    // The cash at each boundary, tick by tick.
    const live = cloneState(game.state);
    const cash: number[] = [];
    for (let k = 0; k < 300; k++) {
      cash.push(live.players[0]!.cash);
      step(live);
    }
    cash.push(live.players[0]!.cash);
    // A check tick whose boundary has more cash than every earlier check tick's and than the boundaries
    // just before and after it: the cash asked for is exactly that boundary's.
    let at = -1;
    let best = cash[0]!;
    for (let k = 10; k < 300 && at < 0; k += 10) {
      if (cash[k]! > best && cash[k - 1]! < cash[k]! && cash[k + 1]! < cash[k]!) at = k;
      best = Math.max(best, cash[k]!);
    }
    expect(at).toBeGreaterThan(10); // not the first check: the span was not stopped on the way
    const stretched = cloneState(game.state);
    const saver = new Saver(cash[at]!);
    expect(stepMany(stretched, 300, saver)).toBe(300);
    expect(saver.seen).toEqual([
      { tick: start, cash: cash[0] },
      { tick: start + at, cash: cash[at] },
    ]);
    expect(stateHash(stretched)).toBe(stateHash(live));
  });

  it('a bot saving for an upgrade buys it at the decision tick its cash first meets the sale price, though the sale runs out inside the stretch', () => {
    // Seed 3's scale-up bot saves for a 250 upgrade from tick 1020 and has 204 at tick 1200: a 10% sale
    // from tick 1203 to 1298 (off the decision ticks) brings the price to 225, which its cash reaches at
    // tick 1270; at the full price it would wait until tick 1340. The stretch from 1203 runs to 1703.
    const script: { tick: number; cmd: Command }[] = [
      {
        tick: 1203,
        cmd: { type: 'event', event: { kind: 'sale', discountPercent: 10, durationSeconds: 9.5 } },
      },
    ];
    const live = started('scale-up');
    const turns = new BotTurns(live);
    while (live.state.status === 'running') {
      if (live.state.tick === 1203) live.submit(script[0]!.cmd);
      turns.tick();
    }
    const upgrades = live.log.commands.filter((e) => e.cmd.type === 'upgrade').map((e) => e.tick);
    expect(upgrades).toContain(1270);
    const stretched = playBotGame({ scenario: week, seed: 3, bots: ['scale-up'], script });
    expect(JSON.stringify(stretched.log.commands)).toBe(JSON.stringify(live.log.commands));
    expect(stateHash(stretched.state)).toBe(stateHash(live.state));
  });
});
