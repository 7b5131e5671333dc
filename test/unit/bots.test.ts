import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { blenderRate } from '../../shared/sim/topology.ts';
import type { PlayerCommand } from '../../shared/sim/commands.ts';
import type { Player, Stand, StandStatus } from '../../shared/sim/state.ts';
import { botView, type BotView } from '../../shared/bots/bot.ts';
import { standToSell } from '../../shared/bots/capacity-plan.ts';
import { botDecision } from '../../shared/bots/index.ts';
import { BotStretchTurns } from '../../shared/bots/bot-turns.ts';

/** The bots' shortcuts (shared room plan, early answers) decide exactly what the full rules decide. */
const week = builtInScenario('lemonade-week')!;

function game(): RecordedGame {
  const g = new RecordedGame({ scenario: week, seed: 3, settings: {} });
  g.submit({ type: 'join', playerId: 'a', name: 'A', bot: 'scale-out' });
  g.submit({ type: 'join', playerId: 'b', name: 'B', bot: 'hybrid' });
  g.submit({ type: 'join', playerId: 'idle', name: 'Ida', bot: 'do-nothing' });
  g.submit({ type: 'join', playerId: 'student', name: 'Stu', bot: null });
  g.submit({ type: 'start' });
  return g;
}

/** standToSell as it was before its early rejection: pick the stand first, then test it. */
function standToSellInFull(view: BotView, capacity: number, spare: number): readonly PlayerCommand[] {
  const { player, room } = view;
  if (player.lbs.length === 0 || player.stands.length <= 1 + spare) return [];
  let pick: Stand | null = null;
  let pickScore = Infinity;
  for (const s of player.stands) {
    if (s.status !== 'open') continue;
    const score = (s.queue.length + (s.serving ? 1 : 0)) * 100 + s.tier;
    if (score < pickScore) {
      pickScore = score;
      pick = s;
    }
  }
  if (!pick) return [];
  const rate = blenderRate(week, pick.tier);
  if (capacity - rate < room.keep + spare * rate) return [];
  return [{ type: 'sell', playerId: player.id, item: 'stand', standId: pick.id }];
}

describe('reference bots', () => {
  it('reject a sale early only where picking the stand would have rejected it too', () => {
    const g = game();
    const view = botView(g.state, g.state.players[0]!);
    const p: Player = view.player;
    // A seeded stream (no Math.random in a test that must repeat).
    let x = 12345;
    const next = (n: number) => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return Math.floor((x / 2 ** 32) * n); // the high bits: an LCG's low bits repeat with short periods
    };
    const statuses: StandStatus[] = ['open', 'open', 'open', 'building', 'swapping', 'failed'];
    let sold = 0;
    let kept = 0;
    for (let round = 0; round < 4000; round++) {
      p.lbs = next(5) === 0 ? [] : [{ failedUntil: -1 } as Player['lbs'][number]];
      const stands = 1 + next(8);
      p.stands = Array.from({ length: stands }, (_, id) => ({
        ...p.stands[0],
        id,
        tier: 1 + next(5),
        status: statuses[next(statuses.length)]!,
        queue: Array.from({ length: next(3) }, () => ({}) as Stand['queue'][number]),
        serving: next(2) === 0 ? null : ({} as Stand['queue'][number]),
      })) as Stand[];
      const spare = next(2);
      // Capacities on and around the line where a stand of some tier can just go.
      const tier = 1 + next(5);
      const edge = view.room.keep + (1 + spare) * blenderRate(week, tier);
      const capacity = [edge, edge - 1e-9, edge + 1e-9, edge * (0.5 + next(100) / 100)][next(4)]!;
      const full = standToSellInFull(view, capacity, spare);
      expect(standToSell(view, capacity, spare)).toEqual(full);
      if (full.length > 0) sold++;
      else kept++;
    }
    // Both answers were seen many times, so the comparison means something.
    expect(sold).toBeGreaterThan(200);
    expect(kept).toBeGreaterThan(200);
  });

  it("share the room's part of a plan at a moment, and see a sale that starts at it", () => {
    const g = game();
    const [a, b] = g.state.players;
    const before = botView(g.state, a!).room;
    expect(botView(g.state, b!).room).toBe(before);
    g.submit({ type: 'event', event: { kind: 'sale', discountPercent: 50, durationSeconds: 30 } });
    const during = botView(g.state, a!).room;
    expect(during).not.toBe(before);
    expect(during.price.stand).toBe(before.price.stand / 2);
    expect(during.standNetCost).toBeLessThan(before.standNetCost);
  });

  it('give a bot that never acts, and a student, no turns', () => {
    const g = game();
    const turns = new BotStretchTurns();
    const [a, , idle, student] = g.state.players;
    expect(turns.first(a!, 0, 3)).toBe(10);
    expect(turns.first(idle!, 2, 3)).toBe(Infinity);
    expect(turns.first(student!, 3, 3)).toBe(Infinity);
    expect(botDecision(g.state, idle!)).toEqual([]);
  });
});
