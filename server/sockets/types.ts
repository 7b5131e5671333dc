import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/socket-events.ts';

/** What the server remembers about a connection: its address and which role it holds in which room. */
export interface SocketData {
  addr: string;
  /** Who is attempting joins: `device:<id>` the client keeps (see deviceIdSchema), or `addr:<address>`. */
  device: string;
  teacherOf?: string;
  player?: { roomCode: string; playerId: string };
  projectorOf?: string;
}

type NoEvents = Record<string, never>;
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, NoEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoEvents, SocketData>;
