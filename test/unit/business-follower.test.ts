import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import {
  TICK_STREAM_VERSION,
  businessProofSchema,
  businessSnapshotSchema,
  tickMessageSchema,
  type BusinessSnapshot,
  type TickMessage,
} from '../../shared/protocol/tick-stream.ts';
import { BusinessFollower } from '../../shared/stream/business-follower.ts';
import { followerView } from '../../shared/stream/follower-view.ts';
import { businessHash } from '../../shared/stream/business-hash.ts';
import { businessState } from '../../shared/stream/business-snapshot.ts';
import { isRoomWide } from '../../shared/stream/business-log.ts';
import { placeText } from '../../client/src/ui/rank-text.ts';

/** A game with two players, and the stream's messages cut from its log by hand. */
function game() {
  const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 3, settings: {} });
  g.submit({ type: 'join', playerId: 'ann', name: 'Ann', bot: null });
  g.submit({ type: 'join', playerId: 'bob', name: 'Bob', bot: null });
  g.submit({ type: 'start' });
  const snap = (id: string): BusinessSnapshot => {
    const s = g.state;
    const p = findPlayer(s, id)!;
    return JSON.parse(
      JSON.stringify({
        v: TICK_STREAM_VERSION,
        playerId: id,
        tick: s.tick,
        seq: g.log.commands.length,
        paused: false,
        speed: 1,
        players: { students: 2, bots: 0 },
        scheduleHidden: false,
        place: null,
        hash: businessHash(s, p),
        state: businessState(s, p),
      }),
    ) as BusinessSnapshot;
  };
  let tick = g.state.tick;
  let seq = g.log.commands.length;
  /** Runs n ticks and returns the tick message for them. */
  const run = (n: number): TickMessage => {
    for (let i = 0; i < n; i++) g.advance();
    const entries = g.log.commands
      .map((e, i) => ({ seq: i, tick: e.tick, cmd: e.cmd }))
      .filter((e) => e.seq >= seq && isRoomWide(e.cmd));
    const m: TickMessage = {
      v: TICK_STREAM_VERSION,
      from: tick,
      to: g.state.tick,
      seqFrom: seq,
      seqTo: g.log.commands.length,
      entries,
      paused: false,
      speed: 1,
    };
    tick = g.state.tick;
    seq = g.log.commands.length;
    return JSON.parse(JSON.stringify(m)) as TickMessage;
  };
  const proof = (id: string) => ({
    tick: g.state.tick,
    seq: g.log.commands.length,
    hash: businessHash(g.state, findPlayer(g.state, id)!),
    place: { rank: 1, shared: 1, of: 2 },
  });
  return { g, snap, run, proof };
}

describe('BusinessFollower', () => {
  it('follows a business across messages and agrees with the full game', () => {
    const { g, snap, run, proof } = game();
    const f = new BusinessFollower();
    expect(f.snapshot(snap('ann'))).toBe(true);
    expect(f.tick(run(4))).toBe('advanced');
    g.submit({ type: 'buy', playerId: 'ann', item: 'stand' });
    f.command({ seq: g.log.commands.length - 1, tick: g.state.tick, cmd: g.log.commands.at(-1)!.cmd });
    g.submit({ type: 'buy', playerId: 'bob', item: 'stand' }); // not Ann's: never reaches her
    g.submit({ type: 'event', event: { kind: 'surge', multiplier: 3, durationSeconds: 5 } });
    expect(f.tick(run(7))).toBe('advanced');
    expect(f.proof(proof('ann'))).toBe('agree');
    expect(f.me!.stands).toHaveLength(2);
    expect(f.state!.surges).toHaveLength(1);
  });

  it('never advances across a hole, ignores what a snapshot covers, and rejects a forged snapshot', () => {
    const { snap, run, proof } = game();
    const f = new BusinessFollower();
    const first = snap('ann');
    expect(f.snapshot({ ...first, hash: '00000000000000' })).toBe(false);
    expect(f.ready).toBe(false);
    expect(f.snapshot(first)).toBe(true);
    run(3); // lost on the way
    const after = run(3);
    expect(f.tick(after)).toBe('gap');
    expect(f.point.tick).toBe(first.tick);
    // A proof for a point the business is not at is not checked (and not counted as agreeing).
    expect(f.proof(proof('ann'))).toBe('unchecked');
    // A fresh snapshot; the message it already covers is ignored, the next one applies.
    expect(f.snapshot(snap('ann'))).toBe(true);
    expect(f.tick(after)).toBe('waiting');
    expect(f.tick(run(2))).toBe('advanced');
    expect(f.proof(proof('ann'))).toBe('agree');
  });

  it('a business that went wrong disagrees with the proof and drops itself until a snapshot', () => {
    const { snap, run, proof } = game();
    const f = new BusinessFollower();
    f.snapshot(snap('ann'));
    f.tick(run(2));
    f.me!.cash += 1; // a browser whose business drifted
    expect(f.proof(proof('ann'))).toBe('mismatch');
    expect(f.ready).toBe(false);
    expect(f.mismatches).toBe(1);
  });

  it("the page's schema: a place is a rank, how many share it and of how many, all or nothing", () => {
    const { snap, proof } = game();
    const at = (place: unknown) => ({ ...proof('ann'), place });
    expect(businessProofSchema.safeParse(proof('ann')).success).toBe(true);
    expect(businessProofSchema.safeParse(at(null)).success).toBe(true);
    expect(businessProofSchema.safeParse(at({ rank: 1, shared: 2, of: 2 })).success).toBe(true);
    expect(businessProofSchema.safeParse(at({ rank: 1, shared: 1 })).success).toBe(false);
    expect(businessProofSchema.safeParse(at({ rank: 1, shared: 0, of: 2 })).success).toBe(false);
    // A place outside its own ranking: 3 sharing 2nd of 3.
    expect(businessProofSchema.safeParse(at({ rank: 2, shared: 3, of: 3 })).success).toBe(false);
    // A proof of version 2 (a flat rank and rankShared) is refused: a page must reload.
    const { place: _, ...bare } = proof('ann');
    expect(businessProofSchema.safeParse({ ...bare, rank: 1, rankShared: 1 }).success).toBe(false);
    expect(businessProofSchema.safeParse({ ...proof('ann'), players: 2 }).success).toBe(false);
    expect(businessSnapshotSchema.safeParse(snap('ann')).success).toBe(true);
    expect(businessSnapshotSchema.safeParse({ ...snap('ann'), place: { rank: 2 } }).success).toBe(false);
    expect(businessSnapshotSchema.safeParse({ ...snap('ann'), players: 2 }).success).toBe(false);
    const f = new BusinessFollower();
    f.snapshot({ ...snap('ann'), place: { rank: 2, shared: 3, of: 4 } });
    expect(f.place).toEqual({ rank: 2, shared: 3, of: 4 });
    f.proof(at({ rank: 1, shared: 2, of: 4 }) as ReturnType<typeof proof>);
    expect(f.place).toEqual({ rank: 1, shared: 2, of: 4 });
  });

  // The HUD took the rank and its tie from the last proof and "of N" from the tick stream: right after
  // Cy joined, Ann and Bob (all of the last ranking, tied) read "#1 of 3 (tied)", and with Cy ranked
  // and Dan just joined, "#1 of 4 (tied)" where all 3 ranked were tied, until the next proof.
  it('the HUD says one ranking: a join does not change "of N" before the proof that ranks the newcomer', () => {
    const { g, snap, run, proof } = game();
    const hud = (f: BusinessFollower): string => placeText(followerView(f)!.place!, true);
    const f = new BusinessFollower();
    f.snapshot(snap('ann'));
    f.tick(run(1));
    f.proof({ ...proof('ann'), place: { rank: 1, shared: 2, of: 2 } });
    expect(hud(f)).toBe('#1 of 2 (all tied)');
    g.submit({ type: 'join', playerId: 'cy', name: 'Cy', bot: null });
    f.tick({ ...run(1), players: { students: 3, bots: 0 } });
    expect(followerView(f)!.players).toEqual({ students: 3, bots: 0 });
    expect(hud(f)).toBe('#1 of 2 (all tied)');
    f.proof({ ...proof('ann'), place: { rank: 1, shared: 3, of: 3 } });
    expect(hud(f)).toBe('#1 of 3 (all tied)');
    g.submit({ type: 'join', playerId: 'dan', name: 'Dan', bot: null });
    f.tick({ ...run(1), players: { students: 4, bots: 0 } });
    expect(hud(f)).toBe('#1 of 3 (all tied)');
  });

  it('the headcount comes from the snapshot, then from each tick message that carries it', () => {
    const { snap, run } = game();
    const f = new BusinessFollower();
    f.snapshot(snap('ann'));
    expect(f.players).toEqual({ students: 2, bots: 0 });
    const m = run(1);
    const three = { students: 2, bots: 1 };
    expect(tickMessageSchema.safeParse({ ...m, players: three }).success).toBe(true);
    expect(tickMessageSchema.safeParse({ ...m, players: { students: -1, bots: 0 } }).success).toBe(false);
    // Version 2's plain count (bots counted as classmates) is refused: a page must reload.
    expect(tickMessageSchema.safeParse({ ...m, players: 3 }).success).toBe(false);
    f.tick({ ...m, players: three });
    expect(f.players).toEqual(three);
    f.tick(run(1)); // without it: unchanged
    expect(f.players).toEqual(three);
    // A paused room's message moves nothing, but its count is news all the same.
    const still = run(0);
    expect(f.tick({ ...still, players: { students: 3, bots: 1 } })).toBe('waiting');
    expect(followerView(f)!.players).toEqual({ students: 3, bots: 1 });
    // The surprise schedule likewise: the countdown goes, and comes back.
    expect(followerView(f)!.next).not.toBeNull();
    f.tick({ ...run(1), scheduleHidden: true });
    expect(followerView(f)!.next).toBeNull();
    f.tick(run(1));
    expect(followerView(f)!.next).toBeNull();
    f.tick({ ...run(1), scheduleHidden: false });
    expect(followerView(f)!.next).not.toBeNull();
    expect(businessSnapshotSchema.safeParse({ ...snap('ann'), scheduleHidden: undefined }).success).toBe(
      false,
    );
  });
});
