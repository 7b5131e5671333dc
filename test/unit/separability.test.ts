import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIO_IDS, builtInScenario } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import type { BotKind, Command } from '../../shared/sim/commands.ts';
import { LogFold } from '../../shared/sim/log-fold.ts';
import { businessHash } from '../../shared/stream/business-hash.ts';
import { businessLog } from '../../shared/stream/business-log.ts';

/**
 * Businesses never interact: folding one business alone (the room-wide commands and its own) gives it
 * exactly as the whole room has it. That is what lets a browser run its own business from the tick
 * stream. Checked for every built-in scenario, several seeds and bot mixes, with a late joiner and the
 * teacher's events, at a checkpoint every 10 game seconds.
 */
const MIXES: BotKind[][] = [
  ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'],
  ['hybrid', 'hybrid', 'stateless-redundant'],
];
const SEEDS = [1, 77, 4242];
const CHECK_EVERY = 100;

const teacher = (tick: number, event: Extract<Command, { type: 'event' }>['event']) => ({
  tick,
  cmd: { type: 'event', event } as Command,
});

describe('separability: each business folded alone equals the whole room', () => {
  for (const id of BUILT_IN_SCENARIO_IDS) {
    it(`${id}: every business's hash equals the room's at every checkpoint`, () => {
      const scenario = builtInScenario(id)!;
      let checked = 0;
      for (const seed of SEEDS)
        for (const bots of MIXES) {
          const game = playBotGame({
            scenario,
            seed,
            bots,
            script: [
              teacher(150, { kind: 'surge', multiplier: 4, durationSeconds: 30 }),
              teacher(400, { kind: 'stand-outage', which: 'biggest', repairSeconds: 20 }),
              { tick: 450, cmd: { type: 'join', playerId: 'late', name: 'Late Lou', bot: 'scale-out' } },
              teacher(600, { kind: 'chaos', failuresPerMinute: 30, durationSeconds: 60, repairSeconds: 10 }),
              teacher(900, { kind: 'lb-outage', repairSeconds: 15 }),
              teacher(1000, { kind: 'notebook-outage', repairSeconds: 15 }),
              teacher(1100, { kind: 'sale', discountPercent: 30, durationSeconds: 40 }),
              teacher(1200, { kind: 'rent-rise', multiplier: 2, durationSeconds: 40 }),
            ],
          });
          const { header, commands } = game.log;
          const end = game.log.end!.tick;
          // The whole room: every business's hash at each checkpoint.
          const room = new Map<string, string>();
          new LogFold(header, commands, {
            atTick: (s) => {
              if (s.tick % CHECK_EVERY !== 0 && s.status !== 'ended') return;
              for (const p of s.players) room.set(`${p.id}@${s.tick}`, businessHash(s, p));
            },
          }).runTo(end);
          // Each business alone, from the same log.
          for (const p of game.state.players) {
            let seen = 0;
            new LogFold(header, businessLog(commands, p.id), {
              atTick: (s) => {
                const me = s.players[0];
                if (!me || (s.tick % CHECK_EVERY !== 0 && s.status !== 'ended')) return;
                expect(businessHash(s, me), `${id} seed ${seed} ${p.id} at tick ${s.tick}`).toBe(
                  room.get(`${p.id}@${s.tick}`),
                );
                seen++;
              },
            }).runTo(end);
            expect(seen).toBeGreaterThan(5);
            checked += seen;
          }
          expect(game.state.players.some((p) => p.id === 'late')).toBe(true);
        }
      expect(checked).toBeGreaterThan(100);
    });
  }
});
