import type { AckCallback } from './errors.ts';
import type { AwaySummary, ClassView, FinalResults } from './views.ts';
import type { BusinessCommand, BusinessProof, BusinessSnapshot, TickMessage } from './tick-stream.ts';
import type { RoomSettings } from './payloads.ts';
import type { ClassHistory } from '../views/class-history.ts';

/**
 * The one declaration of every Socket.IO event, used by the server as
 * Server<ClientToServerEvents, ServerToClientEvents> and by the client with the generics reversed.
 * Every client event carries an acknowledgement; payloads are validated by the schemas in payloads.ts.
 */
export interface ClientToServerEvents {
  /** Host a game. Returns the code students type and the secret teacher token. */
  'room:create': (
    payload: unknown,
    ack: AckCallback<{ roomCode: string; teacherToken: string; gameId: string; settings: RoomSettings }>,
  ) => void;
  /** Take control as the teacher (after a reload, or from another device) with the token. */
  'teacher:resume': (payload: unknown, ack: AckCallback<{ roomCode: string; gameId: string }>) => void;
  /**
   * Join with a nickname. `returned`: the nickname belonged to a business its student had left (Leave);
   * this is that business again, with a new token (the old one stops working).
   */
  'player:join': (
    payload: unknown,
    ack: AckCallback<{
      playerId: string;
      /** Also the rejoin code shown on the student's screen (isRejoinCode in payloads.ts). */
      playerToken: string;
      roomCode: string;
      returned: boolean;
      /** The schedule is a surprise as of this answer (the tick stream says when the teacher changes it). */
      hideSchedule: boolean;
    }>,
  ) => void;
  /**
   * Come back with the player token, or with the rejoin code (the same secret, typed on another device);
   * `away` says what the business did while nobody was connected. A wrong code counts as a failed join.
   */
  'player:resume': (
    payload: unknown,
    ack: AckCallback<{
      playerId: string;
      roomCode: string;
      name: string;
      away: AwaySummary | null;
      playerToken: string;
      hideSchedule: boolean;
    }>,
  ) => void;
  /**
   * The student leaves on purpose: this connection stops driving the business; with no other connection
   * of theirs left, the teacher sees them gone and their nickname (or their token) takes it back.
   */
  'player:leave': (payload: unknown, ack: AckCallback<object>) => void;
  /** Read-only class view for the classroom screen. */
  'projector:watch': (payload: unknown, ack: AckCallback<{ roomCode: string }>) => void;
  /**
   * The teacher clicks a name on the projector to remove that player (a kick, acked with its tick). Only
   * with the room's teacher token: anyone else is refused with 'not-teacher'.
   */
  'projector:remove': (payload: unknown, ack: AckCallback<{ tick: number }>) => void;
  /** A student's purchase or setting; acked with the tick at which it took effect. */
  'player:action': (payload: unknown, ack: AckCallback<{ tick: number }>) => void;
  /**
   * Ask for a fresh snapshot of one's business (a hole in the stream, or a proof that disagreed); the
   * snapshot follows as 'stream:snapshot'. Rate-limited per connection.
   */
  'stream:resync': (payload: unknown, ack: AckCallback<{ tick: number; seq: number }>) => void;
  /** A teacher's action; acked with the tick at which it took effect. */
  'teacher:action': (payload: unknown, ack: AckCallback<{ tick: number }>) => void;
}

export interface ServerToClientEvents {
  /** The tick stream (shared/protocol/tick-stream.ts): to every student of a room, about 10 times a second. */
  'stream:tick': (msg: TickMessage) => void;
  /** A command of this student's business (from any of their devices), before the tick message covering it. */
  'stream:command': (c: BusinessCommand) => void;
  /** This student's business alone, on join, resume and resync. */
  'stream:snapshot': (snap: BusinessSnapshot) => void;
  /** About once a second: the hash of this student's business at a named point, and their rank. */
  'stream:proof': (proof: BusinessProof) => void;
  'view:class': (view: ClassView) => void;
  /** To a teacher console as it (re)connects to a started game: the class charts since the start. */
  'class:history': (history: ClassHistory) => void;
  'game:ended': (results: FinalResults) => void;
  /** The teacher removed this student; the token no longer works. */
  'player:kicked': (info: { message: string }) => void;
  /** The room stopped because of a fault (to everyone in it); the message says why and what to do. */
  'room:closed': (info: { message: string }) => void;
}
