import { parseLog, type GameLog } from '../../../shared/sim/game-log.ts';
import { teacherSession } from '../net/session-store.ts';

/**
 * Where a replay's log comes from: the server's list of games (GET /api/games, GET /api/games/:id/log)
 * or a file the user opens (then nothing but this page is needed: the simulation runs here).
 */

/** One row of GET /api/games (server/http/app.ts: the stored summary plus the live room facts). */
export interface GameListing {
  gameId: string;
  scenarioId: string;
  scenarioName: string;
  /** The class name typed on the host form ('' when none). */
  className: string;
  createdAt: number;
  endedAt: number | null;
  ended: boolean;
  /** The teacher ended it before the scenario's time was up. */
  endedEarly: boolean;
  players: number;
  commands: number;
  tick: number;
  status: string;
  paused: boolean;
}

export type Loaded = { ok: true; log: GameLog } | { ok: false; errors: string[] };

export async function listGames(): Promise<GameListing[]> {
  const res = await fetch('/api/games', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const body = (await res.json()) as unknown;
  if (!Array.isArray(body)) throw new Error('the server sent something that is not a list of games');
  return body as GameListing[];
}

export async function fetchLog(gameId: string): Promise<Loaded> {
  let res: Response;
  try {
    // A running game's log is its teacher's until it ends: send the token if this browser hosts it.
    const teacher = teacherSession.get();
    const headers: Record<string, string> =
      teacher && teacher.gameId === gameId ? { 'x-teacher-token': teacher.teacherToken } : {};
    res = await fetch(`/api/games/${encodeURIComponent(gameId)}/log`, { headers });
  } catch (err) {
    return { ok: false, errors: [`The server cannot be reached (${String(err)}).`] };
  }
  if (res.status === 404) return { ok: false, errors: ['The server has no game with that id.'] };
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    return { ok: false, errors: [body?.error ?? `The server answered ${res.status}.`] };
  }
  return parseText(await res.text());
}

export async function readLogFile(file: File): Promise<Loaded> {
  if (file.size > 50 * 1024 * 1024) return { ok: false, errors: ['This file is too big to be a game log.'] };
  return parseText(await file.text());
}

export function parseText(text: string): Loaded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, errors: ['This file is not JSON, so it is not a Lemonscale game log.'] };
  }
  const r = parseLog(json);
  return r.ok ? { ok: true, log: r.value } : { ok: false, errors: r.errors };
}

/**
 * A log opened from a file lives only in this page (no server copy): the route #/replay/file reads it
 * from here. A reload forgets it, and the screen says so.
 */
let opened: { log: GameLog; name: string } | null = null;

export const openedFile = {
  get: (): { log: GameLog; name: string } | null => opened,
  set: (v: { log: GameLog; name: string } | null): void => {
    opened = v;
  },
};
