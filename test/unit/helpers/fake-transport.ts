import type { ClassView, FinalResults, StudentView } from '../../../shared/protocol/views.ts';
import type { RoomTransport } from '../../../server/rooms/room-transport.ts';

/** A room's people without sockets: who is connected is set by the test, and everything sent is kept. */
export class FakeTransport implements RoomTransport {
  readonly connected = new Set<string>();
  teacher = true;
  projector = false;
  readonly studentViews: { playerId: string; view: StudentView }[] = [];
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
  sendStudentView(playerId: string, view: StudentView): void {
    this.studentViews.push({ playerId, view });
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

  lastStudentView(playerId: string): StudentView | undefined {
    for (let i = this.studentViews.length - 1; i >= 0; i--)
      if (this.studentViews[i]!.playerId === playerId) return this.studentViews[i]!.view;
    return undefined;
  }
}
