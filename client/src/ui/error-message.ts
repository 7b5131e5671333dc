import type { AckError } from '../../../shared/protocol/errors.ts';

/** Friendly words for the join errors a student can fix themselves; the server's message otherwise. */
export function friendlyError(e: AckError): string {
  switch (e.code) {
    case 'unknown-room':
      return 'No game with that code. Check the code on the board and try again.';
    case 'room-locked':
      return 'This game is locked: the teacher is not letting new players in right now.';
    case 'room-full':
      return 'This game is full. Ask your teacher.';
    case 'late-join-closed':
      return 'This game has already started and does not take late joiners.';
    case 'nickname-taken':
      return 'Someone already has that nickname. Pick another one.';
    case 'nickname-not-allowed':
      return 'That nickname is not allowed in class. Pick another one (or let 🎲 pick one for you).';
    case 'kicked':
      return 'You were removed from this game by the teacher.';
    case 'too-many-attempts':
      // The join limiters block a device or address for a whole minute (server/sockets/limits.ts).
      return 'Too many tries from this device. Wait a minute and try again.';
    case 'rate-limited':
      // The server says how long: a second for "slow down", a minute for room creation.
      return e.message;
    default:
      return e.message;
  }
}
