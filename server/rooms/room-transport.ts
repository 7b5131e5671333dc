import type { ClassView, FinalResults } from '../../shared/protocol/views.ts';
import type { BusinessCommand, BusinessProof, TickMessage } from '../../shared/protocol/tick-stream.ts';
import type { RoomPresence } from './room-presence.ts';

/**
 * How a room reaches its people. The room decides what to send and when; the transport knows who is
 * connected (its presence) and how to reach them (Socket.IO today; a Redis adapter across processes
 * later).
 */
export interface RoomTransport extends RoomPresence {
  /** The tick stream: the same message to every student of the room, encoded once. */
  sendTick(msg: TickMessage): void;
  /** A command of this player's business, to all of their connections (before the tick that covers it). */
  sendBusinessCommand(playerId: string, c: BusinessCommand): void;
  /** The proof of agreement for this player's business (all of their connections). */
  sendProof(playerId: string, proof: BusinessProof): void;
  sendTeacherView(view: ClassView): void;
  sendProjectorView(view: ClassView): void;
  /** Final results: everyone in the room, each student with their own row. */
  sendEnded(results: (playerId: string | null) => FinalResults): void;
  /** The player was removed: tell their connections and detach them from the room. */
  kick(playerId: string, message: string): void;
  /** The room closed: tell everyone why when there is something to say (a fault), then detach them. */
  close(message?: string): void;
  /**
   * Cluster mode: the room moved to another process. Every connection of the room is dropped at the
   * transport (not told "closed"), so each page reconnects as after a server restart and resumes its
   * session wherever the room runs now.
   */
  moved(): void;
}
