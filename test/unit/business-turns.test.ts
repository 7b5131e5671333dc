import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { cloneState } from '../../shared/sim/clone-state.ts';
import { step, stepMany, type BusinessTurns } from '../../shared/sim/step.ts';
import type { GameState, Player } from '../../shared/sim/state.ts';

/** What a command or a bot may read of the room at a tick boundary (step.ts's RoomMoment, and the tick). */
function roomAt(s: GameState): object {
  const { tick, surges, sale, rentRise, chaos, lastArrivals } = s;
  return structuredClone({ tick, surges, sale, rentRise, chaos, lastArrivals });
}

/** The first business takes a turn at every tick and notes the room it sees. */
class Watcher implements BusinessTurns {
  readonly seen: object[] = [];
  readonly cashAtLeast = Infinity;
  readonly cashEvery = 1;
  first(_p: Player, i: number, from: number): number {
    return i === 0 ? from : Infinity;
  }
  turn(state: GameState, _p: Player, _i: number, tick: number): number {
    this.seen.push(roomAt(state));
    return tick + 1;
  }
}

describe("a business's turn inside a stretch", () => {
  it('sees the room exactly as tick-by-tick play leaves it at that boundary', () => {
    const game = new RecordedGame({ scenario: builtInScenario('chaos-day')!, seed: 5, settings: {} });
    for (const [id, bot] of [
      ['a', 'scale-out'],
      ['b', 'hybrid'],
    ] as const)
      game.submit({ type: 'join', playerId: id, name: id, bot }, true);
    game.submit({ type: 'start' }, true);
    const ticks = 400;
    const live = cloneState(game.state);
    const expected: object[] = [];
    while (live.tick < ticks && live.status === 'running') {
      expected.push(roomAt(live));
      step(live);
    }
    const stretched = cloneState(game.state);
    const watcher = new Watcher();
    while (stretched.tick < ticks && stretched.status === 'running')
      stepMany(stretched, ticks - stretched.tick, watcher);
    expect(expected.length).toBe(ticks);
    expect(watcher.seen).toEqual(expected);
  });
});
