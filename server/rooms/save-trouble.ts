import type { SaveTrouble } from '../../shared/protocol/views.ts';
import type { StoreWriteError } from '../storage/store-errors.ts';

/** How often a room that cannot save tries its held write again. */
export const SAVE_RETRY_MS = 1000;

const TEACHER: Record<SaveTrouble['fault'], string> = {
  full: "The server's disk is full, so the game is on hold (nothing is lost). Free some disk space: the game carries on by itself.",
  io: 'The server cannot write its game file (an I/O error), so the game is on hold (nothing is lost). It retries every second and carries on by itself.',
  gone: "The server's game file was deleted or moved, so the game is on hold. Restart the server: the game comes back from what was saved.",
  unreachable:
    'Reconnecting to storage: the database that keeps the games cannot be reached, so the game is on hold (nothing is lost). It retries every second and carries on by itself.',
};

const STUDENT =
  "The server can't save right now, so the game is on hold. Nothing you did is lost; it carries on by itself.";

const STUDENT_RECONNECTING =
  'Reconnecting to storage: the game is on hold. Nothing you did is lost; it carries on by itself.';

/** What the teacher's and the students' screens say while a room cannot save. */
export function saveTroubleFor(err: StoreWriteError, who: 'teacher' | 'student'): SaveTrouble {
  const student = err.fault === 'unreachable' ? STUDENT_RECONNECTING : STUDENT;
  return { fault: err.fault, message: who === 'teacher' ? TEACHER[err.fault] : student };
}
