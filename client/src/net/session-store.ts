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
  /** The student pressed Leave: the token is kept so that the join page can offer the way back. */
  left?: boolean;
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

/**
 * Tokens are kept no longer than a school day: a session saved more than 12 hours ago is forgotten on
 * read (a shared classroom computer does not hand yesterday's teacher console to the next user). The
 * screens forget a token sooner, when the server says its room or player is gone.
 */
const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

function expiring<T extends object>(key: string) {
  return {
    get: (): T | null => {
      const kept = read<T & { savedAt?: number }>(key);
      if (!kept) return null;
      const { savedAt, ...session } = kept;
      // Saved before sessions carried a date: counted from now, so an upgrade costs nobody their business.
      if (typeof savedAt !== 'number') write(key, { ...session, savedAt: Date.now() });
      else if (Date.now() - savedAt > TOKEN_LIFETIME_MS) {
        write(key, null);
        return null;
      }
      return session as unknown as T;
    },
    set: (s: T | null): void => write(key, s === null ? null : { ...s, savedAt: Date.now() }),
  };
}

export const playerSession = expiring<PlayerSession>(PLAYER);

export const teacherSession = expiring<TeacherSession>(TEACHER);

/** The last game's results with the per-player history this browser recorded, for the results page. */
export interface StoredResults {
  results: FinalResults;
  history: ResultsHistory;
  role: 'student' | 'teacher';
  roomCode: string;
}

/** Per player: [seconds, profit, served, lost] samples recorded from the views during the game. */
export type ResultsHistory = Record<string, { name: string; samples: [number, number, number, number][] }>;

/**
 * Why the last game sent this student back to the join page (the teacher removed them, the room
 * closed), said once there. Kept for this tab only.
 */
export const goneReason = {
  take: (): string | null => {
    try {
      const r = sessionStorage.getItem('lemonscale.gone');
      sessionStorage.removeItem('lemonscale.gone');
      return r;
    } catch {
      return null;
    }
  },
  set: (reason: string): void => {
    try {
      sessionStorage.setItem('lemonscale.gone', reason);
    } catch {
      // Private mode: the join page just does not repeat it.
    }
  },
};

export const lastResults = {
  get: (): StoredResults | null => read<StoredResults>(RESULTS),
  set: (r: StoredResults | null): void => write(RESULTS, r),
};
