import type { FinalResults } from '../../../shared/protocol/views.ts';

/**
 * Tokens live in localStorage so that a reload (or a browser crash) resumes the same business or the
 * same teacher console. The token is the identity; nothing is tied to a socket.
 */
export interface PlayerSession {
  roomCode: string;
  playerId: string;
  playerToken: string;
  name: string;
}

export interface TeacherSession {
  roomCode: string;
  teacherToken: string;
  gameId: string;
}

const PLAYER = 'lemonscale.player';
const TEACHER = 'lemonscale.teacher';
const RESULTS = 'lemonscale.results';

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the game still works, a reload just will not resume.
  }
}

export const playerSession = {
  get: (): PlayerSession | null => read<PlayerSession>(PLAYER),
  set: (s: PlayerSession | null): void => write(PLAYER, s),
};

export const teacherSession = {
  get: (): TeacherSession | null => read<TeacherSession>(TEACHER),
  set: (s: TeacherSession | null): void => write(TEACHER, s),
};

/** The last game's results with the per-player history this browser recorded, for the results page. */
export interface StoredResults {
  results: FinalResults;
  history: ResultsHistory;
  role: 'student' | 'teacher';
  roomCode: string;
}

/** Per player: [seconds, profit, served, lost] samples recorded from the views during the game. */
export type ResultsHistory = Record<string, { name: string; samples: [number, number, number, number][] }>;

export const lastResults = {
  get: (): StoredResults | null => read<StoredResults>(RESULTS),
  set: (r: StoredResults | null): void => write(RESULTS, r),
};
