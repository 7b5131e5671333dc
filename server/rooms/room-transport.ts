import type { ClassView, FinalResults, StudentView } from '../../shared/protocol/views.ts';
import type { RoomPresence } from './room-presence.ts';

/**
 * How a room reaches its people. The room decides what to send and when; the transport knows who is
 * connected (its presence) and how to reach them (Socket.IO today; a Redis adapter across processes
 * later).
 */
export interface RoomTransport extends RoomPresence {
  /** Views are best-effort (dropped for a backed-up connection) unless reliable. */
  sendStudentView(playerId: string, view: StudentView, reliable?: boolean): void;
  sendTeacherView(view: ClassView): void;
  sendProjectorView(view: ClassView): void;
  /** Final results: everyone in the room, each student with their own row. */
  sendEnded(results: (playerId: string | null) => FinalResults): void;
  /** The player was removed: tell their connections and detach them from the room. */
  kick(playerId: string, message: string): void;
  /** The room closed: tell everyone why when there is something to say (a fault), then detach them. */
  close(message?: string): void;
}
