import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/config.ts';
import { createLogger } from '../../server/logging.ts';
import { RoomRuntime, type RoomDeps } from '../../server/rooms/room-runtime.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { recoverRoom } from '../../server/rooms/room-recovery.ts';
import { roomSettingsSchema, type RoomSettings } from '../../shared/protocol/payloads.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { leaderboard } from '../../shared/sim/results.ts';
import { businessProofSchema } from '../../shared/protocol/tick-stream.ts';
import { sharedBy } from '../../shared/views/rank-sharing.ts';
import { businessHash } from '../../shared/stream/business-hash.ts';
import { followerView } from '../../shared/stream/follower-view.ts';
import { studentView } from '../../shared/views/student-view.ts';
import { FakeClock } from './helpers/fake-clock.ts';
import { FakeTransport } from './helpers/fake-transport.ts';
import { FaultyStore } from './helpers/faulty-store.ts';
import { ProcessStudents } from '../../server/rooms/process-students.ts';
import { makeRoom as makeWeekRoom, week } from './helpers/test-room.ts';

function makeRoom(settings: Partial<RoomSettings>) {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const store = new MemoryStore();
  const deps: RoomDeps = {
    config: { ...DEFAULT_CONFIG, tickIntervalMs: 100, studentViewIntervalMs: 100 },
    store,
    logger: createLogger('silent'),
    transport,
    clock,
    onClose: () => {},
  };
  const { room } = RoomRuntime.create(deps, {
    roomCode: 'STRM1',
    scenario: builtInScenario('chaos-day')!,
    seed: 5,
    settings: roomSettingsSchema.parse(settings),
  });
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    clock.flush();
    return p;
  };
  return { room, clock, transport, settle, store, deps };
}

describe('tick stream (room core, fake clock and transport)', () => {
  it('a student business followed from the stream agrees with the server at every proof', async () => {
    const { room, clock, transport, settle } = makeRoom({ speed: 4, bots: ['hybrid', 'scale-out'] });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    const annF = transport.follow(room.businessSnapshot(ann.playerId)!);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);

    // Purchases, teacher events and a late joiner, the stream running all along.
    for (const item of ['stand', 'load-balancer', 'notebook'] as const)
      expect(await settle(room.playerAction(ann.playerId, { type: 'buy', item }))).toMatchObject({
        ok: true,
      });
    await settle(
      room.teacherAction({ type: 'event', event: { kind: 'surge', multiplier: 5, durationSeconds: 20 } }),
    );
    clock.advance(1500);
    const bob = await settle(room.join('Bob'));
    if (!bob.ok) throw new Error('join failed');
    const bobF = transport.follow(room.businessSnapshot(bob.playerId)!);
    await settle(
      room.teacherAction({
        type: 'event',
        event: { kind: 'stand-outage', which: 'biggest', repairSeconds: 10 },
      }),
    );
    expect(await settle(room.playerAction(bob.playerId, { type: 'buy', item: 'stand' }))).toMatchObject({
      ok: true,
    });
    await settle(
      room.teacherAction({
        type: 'event',
        event: { kind: 'chaos', failuresPerMinute: 40, durationSeconds: 60, repairSeconds: 5 },
      }),
    );
    await settle(room.teacherAction({ type: 'pause' }));
    clock.advance(1500);
    await settle(room.teacherAction({ type: 'resume' }));
    await settle(room.teacherAction({ type: 'speed', speed: 8 }));
    clock.advance(5000);

    const s = room.game.state;
    for (const [id, f] of [
      [ann.playerId, annF],
      [bob.playerId, bobF],
    ] as const) {
      expect(f.point).toEqual({ tick: s.tick, seq: room.game.log.commands.length });
      expect(businessHash(f.state!, f.me!)).toBe(businessHash(s, findPlayer(s, id)!));
      expect(f.agreed).toBeGreaterThan(5);
      expect(f.mismatches).toBe(0);
      // The screen built in the browser is the one the server would have built.
      const server = studentView(s, findPlayer(s, id)!, {
        paused: false,
        speed: 8,
        hideScores: false,
        place: f.place,
      });
      expect(followerView(f)).toEqual(server);
    }
    expect(transport.tickOutcomes.filter((o) => o === 'gap' || o === 'diverged')).toEqual([]);
    expect(transport.proofs.filter((p) => p.outcome !== 'agree')).toEqual([]);
    // One message per interval covers the speed's ticks; room-wide entries only, nobody's purchases.
    const running = transport.ticks.filter((m) => m.to > m.from && !m.paused);
    expect(Math.max(...running.map((m) => m.to - m.from))).toBeGreaterThanOrEqual(8);
    const inStream = transport.ticks.flatMap((m) => m.entries.map((e) => e.cmd.type));
    expect(new Set(inStream)).toEqual(new Set(['start', 'event']));
    // Own commands go to their player only.
    for (const { playerId, c } of transport.commands)
      expect('playerId' in c.cmd && c.cmd.playerId).toBe(playerId);
  });

  it('hidden scores: proofs and snapshots carry no rank until the end', async () => {
    const { room, clock, transport, settle } = makeRoom({ hideScores: true, bots: ['hybrid'] });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    const snap = room.businessSnapshot(ann.playerId)!;
    expect(snap.place).toBeNull();
    expect(snap.state.players.map((p) => p.id)).toEqual([ann.playerId]);
    transport.follow(snap);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(3000);
    expect(transport.proofs.length).toBeGreaterThan(1);
    expect(transport.proofs.every((p) => p.proof.place === null && p.outcome === 'agree')).toBe(true);
  });

  it('scores hidden mid-game: the next tick message drops the rank on every page, before any proof; the end shows them', async () => {
    const { room, clock, transport, settle } = makeRoom({});
    const followers = new Map<string, ReturnType<FakeTransport['follow']>>();
    for (const name of ['Ann', 'Bob', 'Cy', 'Di', 'Ed']) {
      const j = await settle(room.join(name));
      if (!j.ok) throw new Error('join failed');
      followers.set(j.playerId, transport.follow(room.businessSnapshot(j.playerId)!));
    }
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);
    for (const f of followers.values()) expect(f.place).not.toBeNull();
    const proofsBefore = transport.proofs.length;
    const ticksBefore = transport.ticks.length;
    expect(await settle(room.teacherAction({ type: 'scores', hidden: true }))).toMatchObject({ ok: true });
    clock.advance(100);
    // One message says so; the pages that had no proof since then dropped their rank all the same.
    expect(transport.ticks.slice(ticksBefore).filter((m) => m.scoresHidden === true)).toHaveLength(1);
    const proofed = new Set(transport.proofs.slice(proofsBefore).map((p) => p.playerId));
    const unproofed = [...followers.keys()].filter((id) => !proofed.has(id));
    expect(unproofed.length).toBeGreaterThan(0);
    for (const id of unproofed) expect(followers.get(id)!.place).toBeNull();
    clock.advance(3000);
    for (const f of followers.values()) expect(f.place).toBeNull();
    // The end shows every score: a message says they are no longer hidden, and the last proofs rank.
    await settle(room.teacherAction({ type: 'end' }));
    clock.advance(1000);
    expect(transport.ticks.filter((m) => m.scoresHidden === false).length).toBeGreaterThan(1);
    for (const f of followers.values()) expect(f.place).not.toBeNull();
  });

  it('a proof says how many share the rank and of how many, from the class ranking; hidden scores: none', async () => {
    // Three students and no bots: Ann and Bob never buy (the same customers: equal profits), Cy buys.
    const { room, clock, transport, settle } = makeRoom({});
    const ids: string[] = [];
    for (const name of ['Ann', 'Bob', 'Cy']) {
      const j = await settle(room.join(name));
      if (!j.ok) throw new Error('join failed');
      ids.push(j.playerId);
      transport.follow(room.businessSnapshot(j.playerId)!);
    }
    const [ann, bob, cy] = ids as [string, string, string];
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);
    // At the start everyone is tied: "#1 of 3 (all tied)".
    const start = transport.proofs.filter((p) => p.proof.tick > 0 && p.proof.place !== null);
    expect(start.length).toBeGreaterThan(0);
    for (const { proof } of start) expect(proof.place).toEqual({ rank: 1, shared: 3, of: 3 });
    expect(await settle(room.playerAction(cy, { type: 'buy', item: 'stand' }))).toMatchObject({ ok: true });
    transport.proofs.length = 0;
    clock.advance(3000);
    // Each proof agrees with the class's own leaderboard (the tie rule of shared/sim/results.ts).
    const board = leaderboard(room.game.state);
    const last = (id: string) => transport.proofs.filter((p) => p.playerId === id).at(-1)!.proof.place;
    for (const id of [ann, bob, cy]) {
      const row = board.find((r) => r.id === id)!;
      expect(last(id)).toEqual({ rank: row.rank, shared: sharedBy(board, row.rank), of: 3 });
    }
    expect(last(ann)).toEqual({ rank: 1, shared: 2, of: 3 });
    expect(last(bob)).toEqual({ rank: 1, shared: 2, of: 3 });
    expect(last(cy)).toEqual({ rank: 3, shared: 1, of: 3 });
    // Every proof passes the page's schema, and the page's view says it.
    for (const { proof } of transport.proofs) expect(businessProofSchema.safeParse(proof).success).toBe(true);
    expect(followerView(transport.followers.get(ann)!)!.place).toEqual({ rank: 1, shared: 2, of: 3 });
    // The teacher hides the scores: no rank, and no count of who shares it.
    await settle(room.teacherAction({ type: 'scores', hidden: true }));
    transport.proofs.length = 0;
    clock.advance(2000);
    expect(transport.proofs.length).toBeGreaterThan(2);
    for (const { proof } of transport.proofs) expect(proof.place).toBeNull();
    expect(room.businessSnapshot(ann)!.place).toBeNull();
    expect(followerView(transport.followers.get(ann)!)!.place).toBeNull();
  });

  it("the lobby's headcount reaches every student with the next message as classmates join or go, bots apart", async () => {
    // The teacher added three bots before anyone joined: Ann's lobby said "4 joined".
    const { room, clock, transport, settle } = makeRoom({ bots: ['hybrid', 'scale-out', 'do-nothing'] });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    const f = transport.follow(room.businessSnapshot(ann.playerId)!);
    const bots = 3;
    expect(f.players).toEqual({ students: 1, bots });
    clock.advance(1500);
    const ids: string[] = [];
    for (const name of ['Bob', 'Cy']) {
      const j = await settle(room.join(name));
      if (!j.ok) throw new Error('join failed');
      ids.push(j.playerId);
      // The next message says so (a tenth of a second), not Ann's next proof (ten seconds in a lobby).
      clock.advance(150);
      expect(f.players).toEqual({ students: ids.length + 1, bots });
      expect(followerView(f)).toMatchObject({ status: 'lobby', players: { students: ids.length + 1, bots } });
    }
    await settle(room.teacherAction({ type: 'kick', playerId: ids[0]! }));
    clock.advance(150);
    expect(f.players).toEqual({ students: 2, bots });
    // Only a change is sent: the messages of a room whose count stands still do not carry it.
    await settle(room.teacherAction({ type: 'start' }));
    const sent = transport.ticks.length;
    clock.advance(3000);
    const later = transport.ticks.slice(sent);
    expect(later.length).toBeGreaterThan(20);
    expect(later.filter((m) => m.players !== undefined)).toEqual([]);
    expect(f.players).toEqual({ students: 2, bots });
    // No name in any message a student gets.
    const wire = JSON.stringify([transport.ticks, transport.proofs.map((p) => p.proof)]);
    for (const name of ['Bob', 'Cy']) expect(wire).not.toContain(name);
  });

  it('a lobby and a paused game still prove each business about once a second', async () => {
    const { room, clock, transport, settle } = makeRoom({});
    const ids: string[] = [];
    for (const name of ['Ann', 'Bob', 'Cy', 'Dee']) {
      const j = await settle(room.join(name));
      if (!j.ok) throw new Error('join failed');
      ids.push(j.playerId);
      transport.follow(room.businessSnapshot(j.playerId)!);
    }
    /** Each student's proofs over the next five seconds, about five if once a second. */
    const overFiveSeconds = (): number[] => {
      transport.proofs.length = 0;
      clock.advance(5000);
      return ids.map((id) => transport.proofs.filter((p) => p.playerId === id).length);
    };
    const aboutOnceASecond = (counts: number[]): void => {
      for (const n of counts) {
        expect(n).toBeGreaterThanOrEqual(4);
        expect(n).toBeLessThanOrEqual(6);
      }
    };
    clock.advance(1000);
    for (const n of overFiveSeconds()) expect(n).toBeGreaterThanOrEqual(4); // the lobby publishes once a second
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);
    await settle(room.teacherAction({ type: 'pause' }));
    clock.advance(500);
    aboutOnceASecond(overFiveSeconds());
    expect(transport.proofs.every((p) => p.outcome === 'agree')).toBe(true);
    // Running: one a second each, as before.
    await settle(room.teacherAction({ type: 'resume' }));
    clock.advance(500);
    aboutOnceASecond(overFiveSeconds());
  });

  it('the teacher keeps the schedule a surprise mid-game, and shows it again; refused after the end; kept over a restart', async () => {
    const { room, clock, transport, settle, store, deps } = makeRoom({});
    transport.projector = true;
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    const snap = room.businessSnapshot(ann.playerId)!;
    expect(snap.scheduleHidden).toBe(false);
    const f = transport.follow(snap);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(1000);
    expect(followerView(f)!.next).not.toBeNull();
    expect(transport.projectorViews.at(-1)!.upcoming.length).toBeGreaterThan(0);

    expect(await settle(room.teacherAction({ type: 'schedule', hidden: true }))).toMatchObject({ ok: true });
    clock.advance(1000);
    // Students: the next message says so, and the page counts down to nothing.
    expect(transport.ticks.filter((m) => m.scheduleHidden === true)).toHaveLength(1);
    expect(f.scheduleHidden).toBe(true);
    expect(followerView(f)!.next).toBeNull();
    expect(room.businessSnapshot(ann.playerId)!.scheduleHidden).toBe(true);
    // The projector: nothing coming up; the teacher still sees the plan, and that it is a surprise.
    expect(transport.projectorViews.at(-1)).toMatchObject({ scheduleHidden: true, upcoming: [] });
    const teacher = transport.teacherViews.at(-1)!;
    expect(teacher.scheduleHidden).toBe(true);
    expect(teacher.upcoming.length).toBeGreaterThan(0);

    // A restart keeps it (the room's snapshot holds it).
    room.dispose(false);
    const fresh = new FakeTransport();
    fresh.projector = true;
    const back = recoverRoom({ ...deps, transport: fresh }, store.getGame(room.gameId)!);
    expect(back.isScheduleHidden).toBe(true);
    const g = fresh.follow(back.businessSnapshot(ann.playerId)!);
    expect(followerView(g)!.next).toBeNull();

    // Shown again: the countdown comes back.
    expect(await settle(back.teacherAction({ type: 'schedule', hidden: false }))).toMatchObject({ ok: true });
    clock.advance(1000);
    expect(followerView(g)!.next).not.toBeNull();
    expect(fresh.projectorViews.at(-1)!.upcoming.length).toBeGreaterThan(0);
    // After the end it is refused like every other setting.
    await settle(back.teacherAction({ type: 'end' }));
    expect(await settle(back.teacherAction({ type: 'schedule', hidden: true }))).toMatchObject({
      ok: false,
      error: { code: 'game-ended' },
    });
    expect(back.isScheduleHidden).toBe(false);
    back.dispose(true);
  });

  it('a room rebuilt from its log after a restart: students resume from a fresh snapshot and agree again', async () => {
    const { room, clock, transport, settle, store, deps } = makeRoom({ bots: ['scale-out'] });
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    transport.follow(room.businessSnapshot(ann.playerId)!);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(2000);
    await settle(room.playerAction(ann.playerId, { type: 'buy', item: 'stand' }));
    clock.advance(1000);
    room.dispose(false); // the server stops; the room comes back from its log

    const fresh = new FakeTransport();
    const back = recoverRoom({ ...deps, transport: fresh }, store.getGame(room.gameId)!);
    const f = fresh.follow(back.businessSnapshot(ann.playerId)!);
    const before = room.game.state.players.find((p) => p.id === ann.playerId)!;
    expect(f.me!.stands).toHaveLength(before.stands.length);
    expect(f.me!.purchases.stands).toBe(1);
    clock.advance(3000);
    expect(f.agreed).toBeGreaterThan(1);
    expect(f.mismatches).toBe(0);
    expect(fresh.tickOutcomes.filter((o) => o === 'gap' || o === 'diverged')).toEqual([]);
    back.dispose(true);
  });

  it("can't save: the tick messages say so while the room holds its commands, and stop once it saves again", async () => {
    const store = new FaultyStore();
    const { room, clock, transport, settle } = makeWeekRoom({}, store);
    const ann = await settle(room.join('Ann'));
    if (!ann.ok) throw new Error('join failed');
    const f = transport.follow(room.businessSnapshot(ann.playerId)!);
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(1000);
    expect(transport.ticks.some((m) => m.cantSave !== undefined)).toBe(false);
    expect(followerView(f)!.cantSave).toBeUndefined();

    store.fault = 'full';
    const held = room.playerAction(ann.playerId, { type: 'buy', item: 'stand', commandId: 'ann-held-1' });
    clock.advance(300);
    // The students' words (not the teacher's instructions), on the very next message, and kept on the
    // paused-looking stream's heartbeats while the room holds still.
    const during = transport.ticks.length;
    expect(transport.ticks.at(-1)!.cantSave).toMatchObject({
      fault: 'full',
      message: expect.stringMatching(/can't save right now.*Nothing you did is lost/),
    });
    expect(followerView(f)!.cantSave).toEqual(transport.ticks.at(-1)!.cantSave);
    clock.advance(2500);
    expect(transport.ticks.length).toBeGreaterThan(during);
    expect(transport.ticks.slice(during).every((m) => m.cantSave?.fault === 'full')).toBe(true);

    store.fault = null;
    clock.advance(1100);
    expect(await held).toMatchObject({ ok: true });
    clock.advance(300);
    expect(transport.ticks.at(-1)!.cantSave).toBeUndefined();
    expect(followerView(f)!.cantSave).toBeUndefined();
    clock.advance(2000);
    // The business followed the stream through it all.
    expect(transport.tickOutcomes.filter((o) => o === 'gap' || o === 'diverged')).toEqual([]);
    expect(transport.proofs.filter((p) => p.playerId === ann.playerId && p.outcome !== 'agree')).toEqual([]);
    expect(f.me!.purchases.stands).toBe(1);
  });

  it('a big room spreads its proofs thinner: at most 200 a second, each student still checked', async () => {
    const { room, clock, transport, settle } = makeWeekRoom({ maxPlayers: 400 });
    const ids: string[] = [];
    for (let i = 0; i < 400; i++) {
      const j = await settle(room.join(`Student ${i}`));
      if (!j.ok) throw new Error('join failed');
      ids.push(j.playerId);
      transport.connected.add(j.playerId);
    }
    await settle(room.teacherAction({ type: 'start' }));
    clock.advance(1000);
    transport.proofs.length = 0;
    clock.advance(4000);
    // 400 students: each every 2 s (not every second), so about 800 proofs in 4 s, none missed.
    expect(transport.proofs.length).toBeGreaterThanOrEqual(760);
    expect(transport.proofs.length).toBeLessThanOrEqual(840);
    const got = new Set(transport.proofs.map((p) => p.playerId));
    expect(ids.every((id) => got.has(id))).toBe(true);
  });

  it("the process's rooms share one proof budget (200 a second): two rooms of 200 send what one of 400 does, and a closed room frees its share", async () => {
    const clock = new FakeClock();
    const processStudents = new ProcessStudents();
    const rooms = [0, 1].map((n) => {
      const transport = new FakeTransport();
      const deps: RoomDeps = {
        config: { ...DEFAULT_CONFIG, tickIntervalMs: 100, studentViewIntervalMs: 100 },
        store: new MemoryStore(),
        logger: createLogger('silent'),
        transport,
        clock,
        onClose: () => {},
        processStudents,
      };
      const { room } = RoomRuntime.create(deps, {
        roomCode: `SHAR${n}`,
        scenario: week,
        seed: 11 + n,
        settings: roomSettingsSchema.parse({ maxPlayers: 200 }),
      });
      return { room, transport, ids: [] as string[] };
    });
    for (const r of rooms) {
      for (let i = 0; i < 200; i++) {
        const p = r.room.join(`Student ${i}`);
        clock.flush();
        const j = await p;
        if (!j.ok) throw new Error('join failed');
        r.ids.push(j.playerId);
        r.transport.connected.add(j.playerId);
      }
      const p = r.room.teacherAction({ type: 'start' });
      clock.flush();
      await p;
    }
    clock.advance(1000);
    for (const r of rooms) r.transport.proofs.length = 0;
    clock.advance(4000);
    // 400 students in the process: each every 2 s, about 400 proofs per room in 4 s (800 in all, not 1,600).
    for (const r of rooms) {
      expect(r.transport.proofs.length).toBeGreaterThanOrEqual(380);
      expect(r.transport.proofs.length).toBeLessThanOrEqual(420);
      const got = new Set(r.transport.proofs.map((p) => p.playerId));
      expect(r.ids.every((id) => got.has(id))).toBe(true);
    }
    // The first room closes: the second's 200 students are alone again, each checked once a second.
    rooms[0]!.room.dispose(true);
    clock.advance(2000);
    const second = rooms[1]!.transport;
    second.proofs.length = 0;
    clock.advance(4000);
    expect(second.proofs.length).toBeGreaterThanOrEqual(760);
    expect(second.proofs.length).toBeLessThanOrEqual(840);
  });

  it('a busy process sends a small room its class view less often: at most 2,000 rows a second in all, never under 1 a second', async () => {
    const processStudents = new ProcessStudents();
    const { room, clock, transport, settle } = makeWeekRoom({}, undefined, {}, processStudents);
    for (let i = 0; i < 10; i++) {
      const j = await settle(room.join(`Student ${i}`));
      if (!j.ok) throw new Error('join failed');
      transport.connected.add(j.playerId);
    }
    await settle(room.teacherAction({ type: 'start' }));
    const viewsIn4s = (others: number) => {
      const other = {};
      processStudents.report(other, others, clock.now());
      clock.advance(1000);
      transport.teacherViews.length = 0;
      for (let i = 0; i < 4; i++) {
        processStudents.report(other, others, clock.now());
        clock.advance(1000);
      }
      processStudents.release(other);
      return transport.teacherViews.length;
    };
    // Alone (10 students): every 250 ms, at the next 100 ms tick wake (300 ms).
    expect(viewsIn4s(0)).toBeGreaterThanOrEqual(12);
    // 1,000 students in the process: every 500 ms.
    const half = viewsIn4s(990);
    expect(half).toBeGreaterThanOrEqual(7);
    expect(half).toBeLessThanOrEqual(9);
    // 20,000: once a second, as a room of 1,000 has its own.
    const busy = viewsIn4s(19_990);
    expect(busy).toBeGreaterThanOrEqual(4);
    expect(busy).toBeLessThanOrEqual(5);
  });
});
