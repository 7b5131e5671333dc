import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIO_IDS, builtInScenario } from '../../shared/scenarios/index.ts';
import { scenarioBalance } from '../../shared/bots/strategy-balance.ts';

/**
 * Each built-in scenario teaches a strategy (its `teaches` field, said in its description). Over seeds
 * 1..10, with every reference bot in the room, that strategy must rank first in at least 8 and have
 * the best mean profit, and doing nothing must come last in every seed. The table is in
 * docs/scenarios.md (`npm run balance -- all`).
 */
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

describe('scenario balance: the strategy each scenario teaches wins it', () => {
  for (const id of BUILT_IN_SCENARIO_IDS) {
    it(id, () => {
      const sc = builtInScenario(id)!;
      expect(sc.teaches, `${id} says which strategy it teaches`).toBeDefined();
      const r = scenarioBalance(sc, SEEDS);
      const taught = r.rows.find((row) => row.bot === sc.teaches)!;
      expect(r.rows[0]!.bot).toBe(sc.teaches);
      expect(taught.first).toBeGreaterThanOrEqual(8);
      const idle = r.rows.find((row) => row.bot === 'do-nothing')!;
      expect(r.rows[r.rows.length - 1]).toBe(idle);
      expect(idle.last).toBe(SEEDS.length);
    });
  }
});
