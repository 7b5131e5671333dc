import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { shopItems } from '../../shared/views/shop.ts';
import { currentDemand } from '../../shared/sim/demand.ts';
import { blenderRate } from '../../shared/sim/topology.ts';

/** The shop says when an investment pays back, from the same numbers the game runs on. */
describe('payback in the shop', () => {
  const week = builtInScenario('lemonade-week')!;

  it('says how long a bigger blender takes to earn its price back when demand exceeds the stand', () => {
    const game = playBotGame({ scenario: week, seed: 5, bots: ['do-nothing'], untilTick: 3000 });
    const s = game.state;
    const p = s.players[0]!;
    const demand = currentDemand(s);
    const rate = blenderRate(week, 1);
    expect(demand).toBeGreaterThan(rate);
    const up = shopItems(s, p).find((i) => i.id.startsWith('upgrade-'))!;
    const gain = (Math.min(blenderRate(week, 2), demand) - rate) * week.prices.cup;
    const seconds = up.price! / gain;
    const m = /pays for itself in ~(\d+) (s|min)/.exec(up.effect);
    expect(m, up.effect).not.toBeNull();
    const said = Number(m![1]) * (m![2] === 'min' ? 60 : 1);
    expect(Math.abs(said - seconds)).toBeLessThanOrEqual(m![2] === 'min' ? 30 : 10);
    // Without a load balancer a second stand is never found: no payback promised.
    expect(shopItems(s, p).find((i) => i.id === 'buy-stand')!.effect).not.toContain('pays for itself');
  });

  it('says an upgrade would not pay back while the business already serves everyone', () => {
    const game = playBotGame({ scenario: week, seed: 5, bots: ['do-nothing'], untilTick: 20 });
    const s = game.state;
    // A big blender already: more than today's demand.
    s.players[0]!.stands[0]!.tier = 3;
    expect(currentDemand(s)).toBeLessThan(blenderRate(week, 3));
    const up = shopItems(s, s.players[0]!).find((i) => i.id.startsWith('upgrade-'))!;
    expect(up.effect).toContain('would not pay back yet');
  });
});
