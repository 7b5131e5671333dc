import { describe, expect, it } from 'vitest';
import type { PostmortemEntry } from '../../shared/debrief/postmortem.ts';
import { debriefCost } from '../../client/src/ui/debrief-cost.ts';

function entry(second: number, until: number, title: string, lost: number): PostmortemEntry {
  return {
    second,
    until,
    kind: 'surge',
    title,
    setup: '',
    lost,
    peakLine: 20,
    countedUnder: null,
    lesson: null,
    lessonText: null,
  };
}

describe('debriefCost', () => {
  const chaos = entry(20, 350, 'Chaos: 4 random failures a minute for 330 s', 1985);

  it('tells a moment of its own what it lost, or that it lost nobody', () => {
    expect(debriefCost(chaos)).toBe('😞 1985 customers lost; longest line 20.');
    expect(debriefCost(entry(10, 20, 'Surge', 0))).toBe('😊 No customer lost; longest line 20.');
  });

  it('does not say "no customer lost" for a moment whose losses an earlier one already told', () => {
    const surge = {
      ...entry(122, 152, 'Surge: demand x5 for 30 s', 0),
      countedUnder: { title: chaos.title, second: chaos.second },
    };
    const text = debriefCost(surge);
    expect(text).not.toContain('No customer lost');
    expect(text).toBe(
      'Customers lost in these seconds are counted under “Chaos: 4 random failures a minute for 330 s” (0:20); longest line 20.',
    );
    expect(debriefCost({ ...surge, lost: 3 })).toContain('3 more customers lost, beyond those');
  });
});
