import type { ClassView, FinalResults, StudentView } from '../../shared/protocol/views.ts';

/**
 * How a room reaches its people. The runtime decides what to send and when; the transport knows who is
 * connected and how to reach them (Socket.IO today; a Redis adapter across processes later). Players are
 * identified by their player id, never by a connection id: a student may reconnect on a new socket.
 */
export interface RoomTransport {
  isConnected(playerId: string): boolean;
  /** Players with at least one live connection. */
  connectedPlayers(): Iterable<string>;
  /** Views are best-effort (dropped for a backed-up connection) unless reliable. */
  sendStudentView(playerId: string, view: StudentView, reliable?: boolean): void;
  /** Whether anyone watches the class view (teacher or projector). */
  hasTeacher(): boolean;
  hasProjector(): boolean;
  sendTeacherView(view: ClassView): void;
  sendProjectorView(view: ClassView): void;
  /** Final results: everyone in the room, each student with their own row. */
  sendEnded(results: (playerId: string | null) => FinalResults): void;
  /** The player was removed: tell their connections and detach them from the room. */
  kick(playerId: string, message: string): void;
  /** The room closed: detach everyone. */
  close(): void;
}
