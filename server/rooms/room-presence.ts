/**
 * Who of a room is here: players with a live connection, and whether anyone watches the class view.
 * Players are named by player id, never by connection id (a student may come back on a new socket).
 */
export interface RoomPresence {
  isConnected(playerId: string): boolean;
  /** Players with at least one live connection. */
  connectedPlayers(): Iterable<string>;
  hasTeacher(): boolean;
  hasProjector(): boolean;
}
