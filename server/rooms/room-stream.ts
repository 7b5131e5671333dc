import type { RecordedGame } from '../../shared/sim/recorded-game.ts';
import type { BusinessSnapshot, StreamEntry } from '../../shared/protocol/tick-stream.ts';
import { TICK_STREAM_VERSION } from '../../shared/protocol/tick-stream.ts';
import { findPlayer } from '../../shared/sim/apply-command.ts';
import { businessHash } from '../../shared/stream/business-hash.ts';
import { businessState } from '../../shared/stream/business-snapshot.ts';
import { commandOwner, isRoomWide } from '../../shared/stream/business-log.ts';
import type { Speed } from '../../shared/protocol/payloads.ts';
import type { SaveTrouble } from '../../shared/protocol/views.ts';
import type { RoomTransport } from './room-transport.ts';
import { ProcessStudents } from './process-students.ts';
import { scoresWithheld, visiblePlace, type Place } from '../../shared/views/rank-sharing.ts';
import { headcountOf, sameHeadcount, type Headcount } from '../../shared/views/headcount.ts';

/**
 * A message due within this share of the interval counts as due (timers fire early: room-clock.ts's
 * EARLY_TIMER_SHARE, which ticks use). Less than a tick at the fastest speed (8: 12.5 ms of a 100 ms
 * interval), or a message would leave a tick before the boundary it is due at, and miss that tick.
 */
const EARLY_MESSAGE_SHARE = 0.1;
/** An unchanged stream (a paused game) still says so this often, with proofs, so screens stay sure. */
const HEARTBEAT_MS = 1000;
/** Each student's proof comes at most this often (the ceiling), in a process of up to PROOFS_PER_SECOND students... */
const PROOF_INTERVAL_MS = 1000;
/**
 * ...and the process sends at most this many proofs a second over all of its rooms, each student's a
 * little less often (a proof is a hash of one business and one personal write: in a room of 1,000 they
 * were about a tenth of the server's work; 40 rooms of 50 sent 2,000 a second when the budget was per
 * room). They are a safety net: a hole in the stream is seen at once without them.
 */
const PROOFS_PER_SECOND = 200;
/** However many students the process serves, each student's business is checked at least this often. */
const MAX_PROOF_INTERVAL_MS = 10_000;

/** The room facts the stream carries beside the game. */
export interface StreamFacts {
  paused(): boolean;
  speed(): Speed;
  /** The teacher hides the scores now (it can change mid-game): proofs then carry no rank. */
  scoresHidden(): boolean;
  /** The schedule is kept a surprise now (it can change mid-game): no countdown on students' pages. */
  scheduleHidden(): boolean;
  /** This player's place in the latest class ranking (RoomViews), null when unranked. */
  placeOf(playerId: string): Place | null;
  /** The room holds its commands because the store refuses writes (the students' words), or null. */
  saveTrouble(): SaveTrouble | null;
}

/**
 * What every student is told (docs/tick-stream.md): per broadcast interval one tick message for the
 * whole room (the tick range and the room-wide commands in it), each player's own commands to their
 * connections just before it, and, spread over the interval's slots, each player's proof about once a
 * second (less often when the process's rooms hold more than PROOFS_PER_SECOND students in all). Snapshots are cut on demand. The game's log is the source: the entries since the last
 * message are exactly what the game applied meanwhile.
 */
export class RoomStream {
  private tick = 0;
  private seq = 0;
  private paused = false;
  private speed = 1;
  /** The can't-save message last sent (null: none), so its coming and going is sent at once. */
  private cantSave: string | null = null;
  /** The headcount last sent (null: none yet); a message carries it when it changed. */
  private players: Headcount | null = null;
  /** The surprise-schedule flag last sent (null: none yet); a message carries it when it changed. */
  private scheduleHidden: boolean | null = null;
  /** Whether the scores were hidden at the last message (null: none yet); a message carries it when it changed. */
  private scoresHidden: boolean | null = null;
  private lastSent = -Infinity;
  /**
   * When the next regular look at the game is due (a message if anything changed, or the heartbeat): a
   * point of a grid of `intervalMs` anchored where the room's ticks are (`realign`, at each RoomPace
   * rebase), so at speed 1 and faster each message leaves at a tick boundary with the tick just computed,
   * and the room wakes once per interval for both. A forced message (an urgent event) leaves the grid as
   * it is. Before, the cadence ran from the last message sent: a forced one put the messages out of step
   * with the ticks for good (a running room woke 14 times a second for 10 ticks), and an unchanged stream
   * (a lobby, a paused game) did not move it at all, so the room woke every 5 ms (~160 times a second)
   * until its heartbeat.
   */
  private dueAt = -Infinity;
  private anchor = 0;
  /** The proofs' next slot, and when proofs last went (see sendProofs). */
  private nextSlot = 0;
  private lastProofsAt = -Infinity;

  constructor(
    private readonly game: RecordedGame,
    private readonly facts: StreamFacts,
    private readonly transport: RoomTransport,
    private readonly intervalMs: number,
    /** The students of the process's rooms (room-registry.ts); a room alone has its own. */
    private readonly processStudents: ProcessStudents = new ProcessStudents(),
  ) {
    // A room rebuilt from its log starts its stream where the game is: browsers take snapshots anyway.
    this.tick = game.state.tick;
    this.seq = game.log.commands.length;
  }

  /** When the next tick message is due (the tick loop sleeps no longer than this). */
  nextPublishAt(): number {
    return this.dueAt;
  }

  /**
   * The room's ticks were anchored anew at `at` (a start, resume, speed change or lag: RoomPace.rebase):
   * the regular messages keep to the new grid from its first point, so a command applied at the next tick
   * boundary leaves with that boundary's message (and its acknowledgement with them: holdWrites).
   */
  realign(at: number): void {
    this.anchor = at;
    this.dueAt = at;
  }

  /** The first point of the cadence's grid after `t` (see dueAt). */
  private gridPointAfter(t: number): number {
    const a = this.anchor;
    return a + Math.floor((t - a) / this.intervalMs + 1) * this.intervalMs;
  }

  /**
   * Sends the tick message if one is due (or forced: urgent events, the end) and the proofs of this slot;
   * `everyProof` sends every player theirs (the end of the game: the final state is worth checking).
   */
  publish(now: number, force: boolean, everyProof = false): void {
    // Timers fire a little early: a message due within a tenth of the interval goes now.
    const regular = now >= this.dueAt - this.intervalMs * EARLY_MESSAGE_SHARE;
    if (!force && !regular) return;
    // The next one at the grid's next point: a late wake does not push the cadence back (on a busy machine
    // the wakes come tens of ms late, and waiting for the point after would halve the messages), and one
    // that would count as due now already is the one after.
    if (regular) this.dueAt = this.gridPointAfter(now + this.intervalMs * EARLY_MESSAGE_SHARE);
    const s = this.game.state;
    const log = this.game.log.commands;
    const paused = this.facts.paused();
    const speed = this.facts.speed();
    const trouble = this.facts.saveTrouble();
    const cantSave = trouble?.message ?? null;
    const scheduleHidden = this.facts.scheduleHidden();
    const scoresHidden = scoresWithheld(this.facts.scoresHidden(), s.status);
    const changed =
      scheduleHidden !== this.scheduleHidden ||
      scoresHidden !== this.scoresHidden ||
      s.tick !== this.tick ||
      log.length !== this.seq ||
      paused !== this.paused ||
      speed !== this.speed ||
      cantSave !== this.cantSave;
    // The heartbeat comes with the regular look that falls due about a second after the last message.
    if (!changed && !force && now - this.lastSent < HEARTBEAT_MS - this.intervalMs * EARLY_MESSAGE_SHARE)
      return;
    this.lastSent = now;

    const t = this.transport;
    const entries: StreamEntry[] = [];
    for (let i = this.seq; i < log.length; i++) {
      const e = log[i]!;
      if (isRoomWide(e.cmd)) {
        entries.push({ seq: i, tick: e.tick, cmd: e.cmd });
        continue;
      }
      const owner = commandOwner(e.cmd);
      // Sent before the tick message on the same connections, so it is there when the message needs it.
      if (owner !== null && t.isConnected(owner))
        t.sendBusinessCommand(owner, { seq: i, tick: e.tick, cmd: e.cmd });
    }
    // Joins and removals are log entries: the count can only have changed with the log.
    const players = log.length !== this.seq || this.players === null ? headcountOf(s.players) : this.players;
    t.sendTick({
      v: TICK_STREAM_VERSION,
      from: this.tick,
      to: s.tick,
      seqFrom: this.seq,
      seqTo: log.length,
      entries,
      paused,
      speed,
      ...(sameHeadcount(players, this.players) ? {} : { players }),
      ...(scheduleHidden !== this.scheduleHidden ? { scheduleHidden } : {}),
      ...(scoresHidden !== this.scoresHidden ? { scoresHidden } : {}),
      ...(trouble ? { cantSave: trouble } : {}),
    });
    this.players = players;
    this.scheduleHidden = scheduleHidden;
    this.scoresHidden = scoresHidden;
    this.tick = s.tick;
    this.seq = log.length;
    this.paused = paused;
    this.speed = speed;
    this.cantSave = cantSave;
    this.sendProofs(now, everyProof);
  }

  /**
   * The share of the players whose proof is due: each gets one about once a proof interval, not all in one
   * wake. The players are dealt into slots of one broadcast interval each, and a message takes the slots of
   * the time since the last proofs: one while the room publishes every interval, all ten of a second while
   * a lobby or a paused room publishes once a second (counted per message, each student's proof came
   * every ten seconds there, and the lobby's player count with it).
   */
  private sendProofs(now: number, everyone: boolean): void {
    const slots = everyone ? 1 : Math.max(1, Math.round(this.proofIntervalMs(now) / this.intervalMs));
    const since = Math.round((now - this.lastProofsAt) / this.intervalMs);
    const covered = Math.min(slots, Math.max(1, since));
    const first = this.nextSlot % slots;
    this.nextSlot = (first + covered) % slots;
    this.lastProofsAt = now;
    const s = this.game.state;
    let i = 0;
    for (const id of this.transport.connectedPlayers()) {
      if ((i++ - first + slots) % slots >= covered) continue;
      const p = findPlayer(s, id);
      if (!p || p.removed) continue;
      this.transport.sendProof(id, {
        tick: s.tick,
        seq: this.seq,
        hash: businessHash(s, p),
        place: this.place(id),
      });
    }
  }

  /** How often each student gets a proof: once a second, less often when the process serves many. */
  private proofIntervalMs(now: number): number {
    let connected = 0;
    for (const _ of this.transport.connectedPlayers()) connected++;
    this.processStudents.report(this, connected, now);
    const spread = (this.processStudents.total(now) / PROOFS_PER_SECOND) * 1000;
    return Math.min(MAX_PROOF_INTERVAL_MS, Math.max(PROOF_INTERVAL_MS, spread));
  }

  /** The room closed: its students no longer count in the process's budgets. */
  close(): void {
    this.processStudents.release(this);
  }

  /** The player's place; null while the scores are hidden. */
  private place(playerId: string): Place | null {
    return visiblePlace(this.facts.scoresHidden(), this.game.state.status, () =>
      this.facts.placeOf(playerId),
    );
  }

  /** This player's business alone, at the game's point now (join, resume, resync); null if not playing. */
  snapshot(playerId: string): BusinessSnapshot | null {
    const s = this.game.state;
    const p = findPlayer(s, playerId);
    if (!p || p.removed) return null;
    return {
      v: TICK_STREAM_VERSION,
      playerId,
      tick: s.tick,
      seq: this.game.log.commands.length,
      paused: this.facts.paused(),
      speed: this.facts.speed(),
      players: headcountOf(s.players),
      scheduleHidden: this.facts.scheduleHidden(),
      place: this.place(playerId),
      hash: businessHash(s, p),
      state: businessState(s, p),
    };
  }
}
