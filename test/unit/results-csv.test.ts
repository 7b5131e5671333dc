import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { leaderboard, strategyComparison } from '../../shared/sim/results.ts';
import { BOM, resultsCsv } from '../../client/src/ui/results-csv.ts';

/** Splits one RFC 4180 line: quoted fields may hold commas and doubled quotes. */
function fields(line: string): string[] {
  const out: string[] = [];
  const re = /("((?:[^"]|"")*)"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
    out.push(m[2] !== undefined ? m[2].replace(/""/g, '"') : m[1]!);
    if (m[3] === '') break;
  }
  return out;
}

describe('results CSV', () => {
  const game = playBotGame({
    scenario: builtInScenario('lemonade-week')!,
    seed: 3,
    bots: ['scale-up', 'do-nothing'],
    untilTick: 600,
  });
  const board = leaderboard(game.state);
  // Names a spreadsheet could misread: a comma, quotes, an accent and an emoji, a formula.
  board[0]!.name = 'Zoë, "the boss" 🍋';
  board[1]!.name = '=HYPERLINK("x")';
  const csv = resultsCsv({
    leaderboard: board,
    strategies: strategyComparison(board),
    hash: 'h',
    gameId: 'g',
    className: 'Year 9, "B"',
    reports: [
      {
        id: board[0]!.id,
        purchases: [
          { second: 12, text: 'bought a stand' },
          { second: 75, text: 'bought a load balancer' },
        ],
        debrief: [
          {
            second: 30,
            until: 45,
            kind: 'surge',
            title: 'Surge x4',
            setup: '',
            lost: 7,
            peakLine: 9,
            countedUnder: null,
            lesson: null,
            lessonText: null,
          },
          // Inside the surge's window: its losses there were told under the surge.
          {
            second: 40,
            until: 60,
            kind: 'outage',
            title: 'Outage',
            setup: '',
            lost: 0,
            peakLine: 9,
            countedUnder: { title: 'Surge x4', second: 30 },
            lesson: null,
            lessonText: null,
          },
        ],
      },
    ],
  });
  const lines = csv.slice(BOM.length).split('\r\n');

  it('starts with a UTF-8 byte-order mark and ends every line with CRLF', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines).toHaveLength(board.length + 2);
  });

  it('keeps every name whole and quoted, and a formula as text', () => {
    const head = fields(lines[0]!);
    const nameCol = head.indexOf('name');
    expect(fields(lines[1]!)[nameCol]).toBe('Zoë, "the boss" 🍋');
    expect(fields(lines[2]!)[nameCol]).toBe(`'=HYPERLINK("x")`);
    expect(lines[1]!).toContain('"Zoë, ""the boss"" 🍋"');
    expect(fields(lines[2]!)[head.indexOf('class')]).toBe('Year 9, "B"');
    // The teacher's report: purchases and debrief moments, one cell each, times as m:ss.
    expect(fields(lines[1]!)[head.indexOf('purchases')]).toBe(
      '0:12 bought a stand; 1:15 bought a load balancer',
    );
    expect(fields(lines[1]!)[head.indexOf('debrief')]).toBe(
      '0:30-0:45 Surge x4 (lost 7); 0:40-1:00 Outage (lost 0 more than told at 0:30)',
    );
    expect(fields(lines[2]!)[head.indexOf('purchases')]).toBe('');
  });

  it('writes numbers as plain numbers, negative ones included, in the same columns as the header', () => {
    const head = fields(lines[0]!);
    for (const [i, r] of board.entries()) {
      const row = fields(lines[i + 1]!);
      expect(row).toHaveLength(head.length);
      expect(Number(row[head.indexOf('profit')])).toBe(r.profit);
      expect(Number(row[head.indexOf('lost_total')])).toBe(r.lost.total);
      expect(row[head.indexOf('profit')]).not.toContain('"');
    }
  });
});
