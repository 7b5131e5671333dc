import type { ClassView, FinalResults, ShopItem, StudentView } from '../../shared/protocol/views.ts';
import type { RoomTransport } from '../rooms/room-transport.ts';
import type { IoServer, IoSocket } from './types.ts';

/** Field by field (cheaper than comparing JSON texts, at a thousand students ten times a second). */
function sameShop(a: ShopItem[], b: ShopItem[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.price !== y.price || x.allowed !== y.allowed || x.why !== y.why) return false;
    if (x.label !== y.label || x.effect !== y.effect) return false;
  }
  return true;
}

export const teacherChannel = (roomCode: string): string => `teacher:${roomCode}`;
export const projectorChannel = (roomCode: string): string => `projector:${roomCode}`;

/**
 * A room's connections over Socket.IO. Students are reached through their own sockets (each gets their
 * own view); the teacher and projector through Socket.IO rooms (one encoding for all of them). Views are
 * sent as volatile messages: a connection that has not drained the previous view skips this one, so a
 * slow client never makes the server queue views for it.
 */
export class SocketRoomTransport implements RoomTransport {
  private readonly players = new Map<string, Set<IoSocket>>();

  constructor(
    private readonly io: IoServer,
    readonly roomCode: string,
  ) {}

  attachPlayer(playerId: string, socket: IoSocket): void {
    delete socket.data.shopSent; // a (re)joining connection gets the whole view first
    let set = this.players.get(playerId);
    if (!set) this.players.set(playerId, (set = new Set()));
    set.add(socket);
  }

  detachPlayer(playerId: string, socket: IoSocket): void {
    const set = this.players.get(playerId);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.players.delete(playerId);
  }

  isConnected(playerId: string): boolean {
    return this.players.has(playerId);
  }

  connectedPlayers(): Iterable<string> {
    return this.players.keys();
  }

  /**
   * The shop goes only to connections that do not have this one yet, and then reliably (a dropped
   * volatile message must not leave a stale shop behind); the rest of the view is volatile.
   */
  sendStudentView(playerId: string, view: StudentView, reliable = false): void {
    const set = this.players.get(playerId);
    if (!set) return;
    const { shop, ...rest } = view;
    for (const s of set) {
      if (!s.data.shopSent || !sameShop(s.data.shopSent, shop)) {
        s.data.shopSent = shop;
        s.emit('view:student', view);
      } else {
        (reliable ? s : s.volatile).emit('view:student', rest);
      }
    }
  }

  private watchers(channel: string): number {
    return this.io.sockets.adapter.rooms.get(channel)?.size ?? 0;
  }

  hasTeacher(): boolean {
    return this.watchers(teacherChannel(this.roomCode)) > 0;
  }

  hasProjector(): boolean {
    return this.watchers(projectorChannel(this.roomCode)) > 0;
  }

  sendTeacherView(view: ClassView): void {
    this.io.to(teacherChannel(this.roomCode)).volatile.emit('view:class', view);
  }

  sendProjectorView(view: ClassView): void {
    this.io.to(projectorChannel(this.roomCode)).volatile.emit('view:class', view);
  }

  sendEnded(results: (playerId: string | null) => FinalResults): void {
    const shared = results(null);
    this.io.to([teacherChannel(this.roomCode), projectorChannel(this.roomCode)]).emit('game:ended', shared);
    for (const [playerId, set] of this.players) {
      const mine = results(playerId);
      for (const s of set) s.emit('game:ended', mine);
    }
  }

  kick(playerId: string, message: string): void {
    const set = this.players.get(playerId);
    if (!set) return;
    this.players.delete(playerId);
    for (const s of set) {
      s.emit('player:kicked', { message });
      if (s.data.player?.playerId === playerId) delete s.data.player;
    }
  }

  close(message?: string): void {
    if (message !== undefined) {
      const info = { message };
      this.io.to([teacherChannel(this.roomCode), projectorChannel(this.roomCode)]).emit('room:closed', info);
      for (const set of this.players.values()) for (const s of set) s.emit('room:closed', info);
    }
    for (const set of this.players.values())
      for (const s of set) if (s.data.player?.roomCode === this.roomCode) delete s.data.player;
    this.players.clear();
    this.io.in(teacherChannel(this.roomCode)).socketsLeave(teacherChannel(this.roomCode));
    this.io.in(projectorChannel(this.roomCode)).socketsLeave(projectorChannel(this.roomCode));
  }
}
