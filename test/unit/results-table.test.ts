import { describe, expect, it } from 'vitest';
import { resultsTable } from '../../cli/results-table.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { leaderboard } from '../../shared/sim/results.ts';
import { RESULT_METRICS } from '../../shared/views/result-metrics.ts';

describe("the terminal's results table", () => {
  it('shows the same result metrics, in the same words and formats, as the screens', () => {
    const scenario = builtInScenario('fail-whale')!;
    const game = playBotGame({
      scenario,
      seed: 3,
      bots: ['scale-up', 'hybrid'],
      settings: { source: 'cli' },
    });
    const rows = leaderboard(game.state);
    const lines = resultsTable(rows).split('\n');
    const cells = (line: string) => line.split(/ {2,}/).map((c) => c.trim());
    const head = cells(lines[0]!);
    for (const m of RESULT_METRICS) expect(head).toContain(m.short);
    rows.forEach((r, i) => {
      const row = cells(lines[2 + i]!);
      for (const m of RESULT_METRICS) expect(row[head.indexOf(m.short)]).toBe(m.text(r));
    });
    // A loss reads as a loss, with the screens' minus sign.
    expect(RESULT_METRICS[0]!.text({ ...rows[0]!, profit: -207 })).toBe('−$207');
  });
});
