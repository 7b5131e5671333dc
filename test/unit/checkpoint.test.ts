import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInScenario, builtInScenarios } from '../../shared/scenarios/index.ts';
import { playBotGame } from '../../shared/bots/bot-game.ts';
import { LogFold } from '../../shared/sim/log-fold.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import {
  CHECKPOINT_VERSION,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
} from '../../shared/sim/checkpoint.ts';

const ALL_BOTS = ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'] as const;

describe('checkpoints', () => {
  it('restore to the same state hash at many ticks, and carry on to the same end, in every scenario', () => {
    for (const sc of builtInScenarios()) {
      const live = playBotGame({ scenario: sc, seed: 13, bots: [...ALL_BOTS, 'hybrid', 'scale-out'] });
      const saved: { tick: number; hash: string; bytes: Uint8Array }[] = [];
      // A prime interval, so the checkpoints fall at every phase of the schedule and of the bots' turns.
      const fold: LogFold = new LogFold(live.log.header, live.log.commands, {
        atTick: (s) => {
          if (s.tick % 97 !== 0) return;
          const bytes = encodeCheckpoint(s, fold.next);
          const back = decodeCheckpoint(bytes, sc);
          expect(back.next).toBe(fold.next);
          expect(JSON.stringify(back.state)).toBe(JSON.stringify(s));
          saved.push({ tick: s.tick, hash: stateHash(s), bytes });
        },
      });
      const end = fold.runTo(live.log.end!.tick);
      expect(stateHash(end)).toBe(live.log.end!.hash);
      expect(saved.length).toBeGreaterThan(10);
      for (const c of saved) expect(stateHash(decodeCheckpoint(c.bytes, sc).state)).toBe(c.hash);
      // From a checkpoint early, midway and late, the log's tail gives the game's recorded end.
      for (const c of [saved[1]!, saved[saved.length >> 1]!, saved[saved.length - 2]!]) {
        const { state, next } = decodeCheckpoint(c.bytes, sc);
        const tail = new LogFold(live.log.header, live.log.commands);
        tail.restore(state, next);
        expect(stateHash(tail.runTo(live.log.end!.tick))).toBe(live.log.end!.hash);
      }
    }
  });

  it('is compact: customers shared by the class are written once', () => {
    const sc = builtInScenario('lemonade-week')!;
    const bots = Array.from({ length: 30 }, (_, i) => ALL_BOTS[i % ALL_BOTS.length]!);
    const g = playBotGame({ scenario: sc, seed: 3, bots, untilTick: 4000 });
    const bytes = encodeCheckpoint(g.state, g.log.commands.length);
    const { scenario: _s, ...withoutScenario } = g.state;
    expect(bytes.length).toBeLessThan(JSON.stringify(withoutScenario).length);
    expect(stateHash(decodeCheckpoint(bytes, sc).state)).toBe(stateHash(g.state));
  });

  it('refuses another version and damaged bytes with a clear error', () => {
    const sc = builtInScenario('fail-whale')!;
    const g = playBotGame({ scenario: sc, seed: 3, bots: ['scale-up'], untilTick: 300 });
    const bytes = encodeCheckpoint(g.state, 0);
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, 999, true);
    expect(() => decodeCheckpoint(other, sc)).toThrow(/version 999/);
    expect(() => decodeCheckpoint(bytes.slice(0, 50), sc)).toThrow(CheckpointError);
    const text = new TextEncoder().encode('{"v":999}');
    expect(() => decodeCheckpoint(text, sc)).toThrow(/version 999/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"v":1,'), sc)).toThrow(CheckpointError);
    expect(CHECKPOINT_VERSION).toBe(2);
  });

  it('still reads a version 1 (JSON) checkpoint written before the binary format, to the same game', () => {
    // Written by the code of commit d4c153b: chaos-day, seed 4, three bots, at tick 1234 after 26 commands.
    const sc = builtInScenario('chaos-day')!;
    const bytes = new Uint8Array(
      readFileSync(join(import.meta.dirname, 'fixtures/chaos-day-tick-1234.v1.ckpt')),
    );
    const { state, next } = decodeCheckpoint(bytes, sc);
    expect(next).toBe(26);
    expect(stateHash(state)).toBe('0b43d1f0127a0a');
    const live = playBotGame({ scenario: sc, seed: 4, bots: ['scale-out', 'stateless-redundant', 'hybrid'] });
    const tail = new LogFold(live.log.header, live.log.commands);
    tail.restore(state, next);
    expect(stateHash(tail.runTo(live.log.end!.tick))).toBe(live.log.end!.hash);
  });

  it('a 300-player room round-trips (a rush: long lines, customers shared by many businesses)', () => {
    const sc = builtInScenario('lemonade-week')!;
    const bots = Array.from({ length: 300 }, (_, i) => ALL_BOTS[i % ALL_BOTS.length]!);
    const g = playBotGame({ scenario: sc, seed: 6, bots, untilTick: 4600 });
    const back = decodeCheckpoint(encodeCheckpoint(g.state, 7), sc);
    expect(back.next).toBe(7);
    expect(JSON.stringify(back.state)).toBe(JSON.stringify(g.state));
    // Customers stay shared between businesses (common random numbers), as in the live state.
    const ids = new Map<number, object>();
    let shared = 0;
    for (const p of back.state.players)
      for (const st of p.stands)
        for (const c of st.queue) {
          const seen = ids.get(c.id);
          if (seen) {
            expect(seen).toBe(c);
            shared++;
          } else ids.set(c.id, c);
        }
    expect(shared).toBeGreaterThan(0);
  });
});
