import type { ClassView, FinalResults } from '../../../shared/protocol/views.ts';
import type {
  BusinessCommand,
  BusinessProof,
  BusinessSnapshot,
  TickMessage,
} from '../../../shared/protocol/tick-stream.ts';
import {
  BusinessFollower,
  type ProofOutcome,
  type TickOutcome,
} from '../../../shared/stream/business-follower.ts';
import type { RoomTransport } from '../../../server/rooms/room-transport.ts';

/**
 * A room's people without sockets: who is connected is set by the test, and everything sent is kept.
 * A player given a snapshot (follow) gets a BusinessFollower fed by the stream, as a browser would.
 */
export class FakeTransport implements RoomTransport {
  readonly connected = new Set<string>();
  readonly ticks: TickMessage[] = [];
  readonly commands: { playerId: string; c: BusinessCommand }[] = [];
  readonly proofs: { playerId: string; proof: BusinessProof; outcome: ProofOutcome | null }[] = [];
  readonly followers = new Map<string, BusinessFollower>();
  readonly tickOutcomes: TickOutcome[] = [];
  teacher = true;
  projector = false;
  readonly teacherViews: ClassView[] = [];
  readonly projectorViews: ClassView[] = [];
  readonly ended: { playerId: string | null; results: FinalResults }[] = [];
  readonly kicked: string[] = [];
  closed = false;

  isConnected(playerId: string): boolean {
    return this.connected.has(playerId);
  }
  connectedPlayers(): Iterable<string> {
    return this.connected;
  }
  hasTeacher(): boolean {
    return this.teacher;
  }
  hasProjector(): boolean {
    return this.projector;
  }
  /** The player connects and follows their business from this snapshot. */
  follow(snap: BusinessSnapshot): BusinessFollower {
    const f = new BusinessFollower();
    if (!f.snapshot(JSON.parse(JSON.stringify(snap)) as BusinessSnapshot))
      throw new Error('snapshot does not hash to what it claims');
    this.followers.set(snap.playerId, f);
    this.connected.add(snap.playerId);
    return f;
  }
  sendTick(msg: TickMessage): void {
    // Through JSON, as over the wire: the browser's fold must not share objects with the server's game.
    const m = JSON.parse(JSON.stringify(msg)) as TickMessage;
    this.ticks.push(m);
    for (const f of this.followers.values()) this.tickOutcomes.push(f.tick(m));
  }
  sendBusinessCommand(playerId: string, c: BusinessCommand): void {
    this.commands.push({ playerId, c });
    this.followers.get(playerId)?.command(JSON.parse(JSON.stringify(c)) as BusinessCommand);
  }
  sendProof(playerId: string, proof: BusinessProof): void {
    const outcome = this.followers.get(playerId)?.proof(proof) ?? null;
    this.proofs.push({ playerId, proof, outcome });
  }
  sendTeacherView(view: ClassView): void {
    this.teacherViews.push(view);
  }
  sendProjectorView(view: ClassView): void {
    this.projectorViews.push(view);
  }
  sendEnded(results: (playerId: string | null) => FinalResults): void {
    this.ended.push({ playerId: null, results: results(null) });
    for (const id of this.connected) this.ended.push({ playerId: id, results: results(id) });
  }
  kick(playerId: string): void {
    this.kicked.push(playerId);
    this.connected.delete(playerId);
  }
  closedWith: string | undefined;
  close(message?: string): void {
    this.closed = true;
    this.closedWith = message;
    this.connected.clear();
  }

  /** The room moved to another process (cluster mode): its connections were dropped. */
  movedAway = false;
  moved(): void {
    this.movedAway = true;
    this.connected.clear();
  }
}
