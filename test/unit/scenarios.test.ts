import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIO_IDS, builtInScenario } from '../../shared/scenarios/index.ts';
import { parseScenario } from '../../shared/scenarios/schema.ts';
import { parseLog } from '../../shared/sim/game-log.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';

const raw = () => JSON.parse(JSON.stringify(builtInScenario('lemonade-week')));

describe('scenario files', () => {
  it('ships Lemonade Week, Going Viral, Fail Whale and Chaos Day, all valid', () => {
    expect(BUILT_IN_SCENARIO_IDS).toEqual(['lemonade-week', 'going-viral', 'fail-whale', 'chaos-day']);
    for (const id of BUILT_IN_SCENARIO_IDS) expect(builtInScenario(id)!.id).toBe(id);
  });

  it('an id that is an object key but no scenario ("__proto__", "constructor") is no scenario', () => {
    for (const id of ['__proto__', 'constructor', 'toString']) expect(builtInScenario(id)).toBeUndefined();
  });

  it('an invalid file gets an error naming the field and the reason', () => {
    const cases: [(s: Record<string, any>) => void, string][] = [
      [(s) => (s.startingCash = -5), 'startingCash'],
      [(s) => (s.blenderRates = [1, 2, 2, 4, 8]), 'blenderRates'],
      [(s) => (s.prices.blenderUpgrades = [1, 2]), 'prices.blenderUpgrades'],
      [(s) => (s.customers.regularShare = 2), 'customers.regularShare'],
      [(s) => (s.demand = { kind: 'wave' }), 'demand.kind'],
      [(s) => (s.demand.points[1].atSeconds = 0), 'demand.points'],
      [
        (s) => (s.schedule[0].event = { kind: 'surge', multiplier: 500, durationSeconds: 5 }),
        'schedule.0.event.multiplier',
      ],
      [(s) => (s.schedule = [{ atSeconds: 9999, event: { kind: 'announce', text: 'late' } }]), 'schedule'],
      [(s) => (s.colour = 'pink'), 'colour'],
      [(s) => delete s.timings, 'timings'],
      [(s) => (s.start.lbPolicy = 'fastest'), 'start.lbPolicy'],
      [(s) => (s.start.lbMode = 'both'), 'start.lbMode'],
    ];
    for (const [spoil, field] of cases) {
      const s = raw();
      spoil(s);
      const r = parseScenario(s);
      expect(r.ok, field).toBe(false);
      if (!r.ok) expect(r.errors.join('\n'), field).toContain(field);
    }
  });

  it('sets the balancer policy and mode every business starts with (default: least-queue, active-passive)', () => {
    const s = raw();
    s.start = { ...s.start, loadBalancer: true, lbPolicy: 'round-robin', lbMode: 'active-active' };
    const r = parseScenario(s);
    expect(r.ok).toBe(true);
    const g = playBotGame({
      scenario: r.ok ? r.value : builtInScenario('lemonade-week')!,
      seed: 1,
      bots: ['do-nothing'],
      untilTick: 5,
    });
    expect(g.state.players[0]).toMatchObject({ lbPolicy: 'round-robin', lbMode: 'active-active' });
    const d = playBotGame({
      scenario: builtInScenario('going-viral')!,
      seed: 1,
      bots: ['do-nothing'],
      untilTick: 5,
    });
    expect(d.state.players[0]).toMatchObject({ lbPolicy: 'least-queue', lbMode: 'active-passive' });
  });
});

describe('game log files', () => {
  const log = () =>
    JSON.parse(
      JSON.stringify(
        playBotGame({ scenario: builtInScenario('fail-whale')!, seed: 3, bots: ['hybrid'] }).log,
      ),
    );

  it('a good log parses', () => {
    expect(parseLog(log()).ok).toBe(true);
  });

  it('refuses a future version, another format, and damage, saying what is wrong', () => {
    const future = { ...log(), version: 99 };
    const r1 = parseLog(future);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.errors[0]).toMatch(/version 99.*newer Lemonscale/);
    // Version 1 was played with other routing and balking rules: refused, naming the versions.
    const old = parseLog({ ...log(), version: 1 });
    expect(!old.ok && old.errors[0]).toMatch(
      /format version 1; this Lemonscale reads version 2.*older rules/,
    );
    expect(parseLog({ hello: 1 })).toMatchObject({ ok: false });
    expect(parseLog('text')).toMatchObject({ ok: false });
    const bad = log();
    bad.commands[2].cmd.type = 'hack';
    const r2 = parseLog(bad);
    expect(!r2.ok && r2.errors[0]).toMatch(/^commands\.2\.cmd/);
    const disorder = log();
    disorder.commands.push({ tick: 0, cmd: { type: 'end' } });
    expect(parseLog(disorder).ok).toBe(false);
  });
});
