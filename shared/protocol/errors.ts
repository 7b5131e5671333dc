import type { RefusalReason } from '../sim/commands.ts';

/**
 * Every acknowledgement is either { ok: true, ... } or { ok: false, error }. Codes are stable for code to
 * branch on; messages are for people.
 */
export type ErrorCode =
  | RefusalReason
  | 'invalid-payload'
  | 'rate-limited'
  | 'unknown-room'
  | 'room-locked'
  | 'room-full'
  | 'late-join-closed'
  | 'nickname-taken'
  | 'nickname-not-allowed'
  | 'bad-token'
  | 'kicked'
  | 'not-teacher'
  | 'not-player'
  | 'unknown-scenario'
  | 'too-many-attempts'
  | 'game-paused'
  /** The room cannot write to its store (disk full, I/O error): nothing is lost; try again shortly. */
  | 'cant-save'
  /** This game's log reached its size cap (MAX_LOG_COMMANDS): no more commands are taken. */
  | 'log-full'
  | 'future-tick'
  // Cluster mode: the process running the room did not answer in time; retry the same command.
  | 'owner-unavailable'
  | 'server-error';

export interface AckError {
  code: ErrorCode;
  message: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };

export type AckCallback<T extends object = object> = (res: Ack<T>) => void;

export function ackError(code: ErrorCode, message: string): { ok: false; error: AckError } {
  return { ok: false, error: { code, message } };
}
