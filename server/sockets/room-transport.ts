import type { ClassView, FinalResults } from '../../shared/protocol/views.ts';
import type { BusinessCommand, BusinessProof, TickMessage } from '../../shared/protocol/tick-stream.ts';
import type { RoomTransport } from '../rooms/room-transport.ts';
import type { IoServer, IoSocket } from './types.ts';
import { holdWrites, preEncode, sendPreEncoded } from './pre-encoded-frame.ts';

export const teacherChannel = (roomCode: string): string => `teacher:${roomCode}`;
export const projectorChannel = (roomCode: string): string => `projector:${roomCode}`;
/** Every student connection of a room: the tick stream goes here, encoded once. */
export const studentsChannel = (roomCode: string): string => `students:${roomCode}`;

/**
 * A room's connections over Socket.IO. The tick stream, the teacher's and the projector's views go to
 * Socket.IO rooms (one encoding for all of their connections); a player's own commands and proofs to
 * that player's sockets. Class views are volatile (a backed-up connection skips one; the next says it
 * all); the tick stream is not: a dropped message would leave a hole the browser must fill with a
 * snapshot.
 *
 * With `preEncodedFrames` (one process, the in-memory adapter) the tick stream and the players' own
 * messages are encoded once and written to each websocket as a ready frame (pre-encoded-frame.ts): the
 * same bytes in the same order, at about the cost of a plain `ws` write. Through another adapter (a
 * cluster's Redis adapter) every message must go through it, so it stays off there.
 */
export class SocketRoomTransport implements RoomTransport {
  private readonly players = new Map<string, Set<IoSocket>>();

  constructor(
    private readonly io: IoServer,
    readonly roomCode: string,
    private readonly preEncodedFrames = false,
  ) {}

  attachPlayer(playerId: string, socket: IoSocket): void {
    void socket.join(studentsChannel(this.roomCode));
    let set = this.players.get(playerId);
    if (!set) this.players.set(playerId, (set = new Set()));
    set.add(socket);
  }

  detachPlayer(playerId: string, socket: IoSocket): void {
    void socket.leave(studentsChannel(this.roomCode));
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

  sendTick(msg: TickMessage): void {
    if (!this.preEncodedFrames) {
      this.io.to(studentsChannel(this.roomCode)).emit('stream:tick', msg);
      return;
    }
    // The sockets of the players are exactly the Socket.IO room's (attachPlayer, detachPlayer, kick, close).
    const m = preEncode('stream:tick', msg);
    for (const set of this.players.values()) for (const s of set) sendPreEncoded(s, m);
  }

  sendBusinessCommand(playerId: string, c: BusinessCommand): void {
    // The tick message follows at once (RoomStream.publish): both leave in one write.
    if (this.preEncodedFrames) for (const s of this.players.get(playerId) ?? []) holdWrites(s);
    this.toPlayer(playerId, 'stream:command', c);
  }

  sendProof(playerId: string, proof: BusinessProof): void {
    this.toPlayer(playerId, 'stream:proof', proof);
  }

  private toPlayer(playerId: string, event: 'stream:command' | 'stream:proof', payload: object): void {
    const set = this.players.get(playerId);
    if (!set) return;
    if (!this.preEncodedFrames) {
      for (const s of set) s.emit(event, payload as never);
      return;
    }
    const m = preEncode(event, payload);
    for (const s of set) sendPreEncoded(s, m);
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
    this.sendView(teacherChannel(this.roomCode), view);
  }

  sendProjectorView(view: ClassView): void {
    this.sendView(projectorChannel(this.roomCode), view);
  }

  /**
   * A class view to the screens watching it, volatile. As ready frames too: a big class's view is large,
   * and Socket.IO's encoder walks all of it looking for binary data before it stringifies it.
   */
  private sendView(channel: string, view: ClassView): void {
    if (!this.preEncodedFrames) {
      this.io.to(channel).volatile.emit('view:class', view);
      return;
    }
    const ids = this.io.sockets.adapter.rooms.get(channel);
    if (!ids || ids.size === 0) return;
    const m = preEncode('view:class', view);
    for (const id of ids) {
      const s = this.io.sockets.sockets.get(id);
      if (s) sendPreEncoded(s, m, true);
    }
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
      void s.leave(studentsChannel(this.roomCode));
      s.emit('player:kicked', { message });
      if (s.data.player?.playerId === playerId) delete s.data.player;
    }
  }

  moved(): void {
    const sockets = new Set<IoSocket>();
    for (const set of this.players.values()) for (const s of set) sockets.add(s);
    for (const ch of [teacherChannel, projectorChannel, studentsChannel]) {
      const ids = this.io.sockets.adapter.rooms.get(ch(this.roomCode));
      if (ids)
        for (const id of ids) {
          const s = this.io.sockets.sockets.get(id);
          if (s) sockets.add(s);
        }
    }
    this.close();
    // Closing the connection underneath (rather than socket.disconnect()) is what a page sees when a
    // server dies: its Socket.IO client reconnects by itself and resumes with its tokens.
    for (const s of sockets) s.conn.close();
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
    this.io.in(studentsChannel(this.roomCode)).socketsLeave(studentsChannel(this.roomCode));
  }
}
