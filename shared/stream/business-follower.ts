import type { GameState, Player } from '../sim/state.ts';
import type { LogEntry } from '../sim/game-log.ts';
import { cloneState } from '../sim/clone-state.ts';
import { LogFold, LogReplayError } from '../sim/log-fold.ts';
import type {
  BusinessCommand,
  BusinessProof,
  BusinessSnapshot,
  TickMessage,
} from '../protocol/tick-stream.ts';
import type { SaveTrouble } from '../protocol/views.ts';
import { businessHash } from './business-hash.ts';
import type { Headcount } from '../views/headcount.ts';
import type { Place } from '../views/rank-sharing.ts';

/** What a tick message did: moved the business on, was already covered, or left a hole (ask for a snapshot). */
export type TickOutcome = 'advanced' | 'waiting' | 'gap' | 'diverged';
/** What a proof said: the business agrees, disagrees (resync), or is not at the proof's point (unchecked). */
export type ProofOutcome = 'agree' | 'mismatch' | 'unchecked';

/**
 * One business followed from the tick stream: a snapshot, then the room's tick messages and the
 * player's own commands, folded in log order by the same LogFold the server's replays use. Pure: the
 * browser (client/src/live), the tests and the load generator wire it to a socket.
 *
 * Messages of one connection arrive in the order they were sent, and the server sends a player's own
 * commands before the tick message that covers them, so by the time a tick message up to seqTo arrives
 * every own command below seqTo is here.
 */
export class BusinessFollower {
  private fold: LogFold | null = null;
  private entries: LogEntry[] = [];
  /** Log entries accounted for (applied, or not this business's). */
  private seq = 0;
  /** Own commands not yet reached by the stream, by seq. */
  private own = new Map<number, BusinessCommand>();
  playerId = '';
  paused = false;
  speed = 1;
  players: Headcount = { students: 0, bots: 0 };
  /** The place the latest proof (or snapshot) said: rank, how many hold it, of how many; null when none. */
  place: Place | null = null;
  /** The teacher keeps the schedule a surprise (no countdown to planned events). */
  scheduleHidden = false;
  /** The room cannot save now (from the latest tick message): the screen shows it. */
  cantSave: SaveTrouble | undefined = undefined;
  /** Proofs that agreed and that did not, since this follower was made. */
  agreed = 0;
  mismatches = 0;

  get ready(): boolean {
    return this.fold !== null;
  }

  get state(): GameState | null {
    return this.fold?.current ?? null;
  }

  get me(): Player | null {
    return this.fold?.current.players[0] ?? null;
  }

  /** Where the business is: (tick, seq). */
  get point(): { tick: number; seq: number } {
    return { tick: this.fold?.current.tick ?? 0, seq: this.seq };
  }

  /** Starts over from a snapshot; false when the snapshot does not hash to what it claims. */
  snapshot(snap: BusinessSnapshot): boolean {
    // The decoded JSON's objects have other shapes than the simulation builds (slow hot loops): rebuild.
    const state = cloneState(snap.state);
    const p = state.players[0];
    if (!p || p.id !== snap.playerId || businessHash(state, p) !== snap.hash) {
      this.fold = null;
      return false;
    }
    this.entries = [];
    this.fold = new LogFold(state, this.entries);
    this.fold.restore(state, 0);
    this.seq = snap.seq;
    this.playerId = snap.playerId;
    this.paused = snap.paused;
    this.speed = snap.speed;
    this.players = snap.players;
    this.scheduleHidden = snap.scheduleHidden;
    this.place = snap.place;
    for (const s of [...this.own.keys()]) if (s < snap.seq) this.own.delete(s);
    return true;
  }

  /** One of the player's own commands (from this device or another). */
  command(c: BusinessCommand): void {
    if (c.seq >= this.seq) this.own.set(c.seq, c);
  }

  tick(m: TickMessage): TickOutcome {
    this.paused = m.paused;
    this.speed = m.speed;
    this.cantSave = m.cantSave;
    if (m.players !== undefined) this.players = m.players;
    if (m.scheduleHidden !== undefined) this.scheduleHidden = m.scheduleHidden;
    // Scores hidden: the rank goes now (the next proof would say so too, but seconds later in a big room).
    if (m.scoresHidden === true) this.place = null;
    const fold = this.fold;
    if (!fold) return 'waiting';
    if (m.seqTo <= this.seq && m.to <= fold.current.tick) return 'waiting'; // covered by the snapshot
    if (m.seqFrom > this.seq || m.from > fold.current.tick) return 'gap';
    const due: BusinessCommand[] = m.entries.filter((e) => e.seq >= this.seq);
    for (const [s, c] of this.own) {
      if (s >= m.seqTo) continue;
      due.push(c);
      this.own.delete(s);
    }
    due.sort((a, b) => a.seq - b.seq);
    for (const e of due) this.entries.push({ tick: e.tick, cmd: e.cmd });
    try {
      fold.runTo(m.to);
    } catch (e) {
      if (e instanceof LogReplayError) {
        this.fold = null;
        return 'diverged';
      }
      throw e;
    }
    this.seq = Math.max(this.seq, m.seqTo);
    return 'advanced';
  }

  proof(p: BusinessProof): ProofOutcome {
    this.place = p.place;
    const s = this.fold?.current;
    const me = this.me;
    if (!s || !me || s.tick !== p.tick || this.seq !== p.seq) return 'unchecked';
    if (businessHash(s, me) === p.hash) {
      this.agreed++;
      return 'agree';
    }
    this.mismatches++;
    this.fold = null;
    return 'mismatch';
  }
}
