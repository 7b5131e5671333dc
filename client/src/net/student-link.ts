import type { Ack } from '../../../shared/protocol/errors.ts';
import type { PlayerAction } from '../../../shared/protocol/payloads.ts';
import type {
  AwaySummary,
  FinalResults,
  StudentView,
  StudentViewMessage,
} from '../../../shared/protocol/views.ts';
import { gameSocket, onEveryConnect, request } from './socket.ts';
import { sendCommand } from './safe-command.ts';
import type { PlayerSession } from './session-store.ts';
import { isGoneForGood, retryDelayMs } from './resume-backoff.ts';

/**
 * What the student screen needs from "a game": views in, actions out. The classroom server provides
 * it over Socket.IO; practice mode provides it from the simulation running in the page.
 */
export interface StudentLink {
  onView(cb: (v: StudentView) => void): void;
  onEnded(cb: (r: FinalResults) => void): void;
  onGone(cb: (reason: string) => void): void;
  /** "While you were away": what the business did while this student was disconnected. */
  onAway(cb: (summary: AwaySummary) => void): void;
  act(action: PlayerAction): Promise<Ack<{ tick: number }>>;
  close(): void;
}

/** The classroom link: resumes with the stored token on every (re)connect. */
export function socketStudentLink(session: PlayerSession): StudentLink {
  const s = gameSocket();
  const handlers: {
    view?: (v: StudentView) => void;
    ended?: (r: FinalResults) => void;
    gone?: (r: string) => void;
    away?: (a: AwaySummary) => void;
  } = {};
  // The server sends the shop only when it changes; keep the last one (see StudentViewMessage).
  let shop: StudentView['shop'] = [];
  const onView = (v: StudentViewMessage): void => {
    if (v.shop) shop = v.shop;
    handlers.view?.({ ...v, shop });
  };
  const onEnded = (r: FinalResults): void => handlers.ended?.(r);
  const onKicked = (info: { message: string }): void =>
    handlers.gone?.(info.message || 'You were removed from the game.');
  s.on('view:student', onView);
  s.on('game:ended', onEnded);
  s.on('player:kicked', onKicked);
  s.on('room:closed', onKicked);
  // A temporary refusal (too many attempts, a busy or failing server, no answer) keeps the token and
  // tries again with backoff; only a definitive one ends the session (see resume-backoff.ts).
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const resume = (): void => {
    clearTimeout(retry);
    void request('player:resume', { roomCode: session.roomCode, playerToken: session.playerToken }).then(
      (res) => {
        if (closed) return;
        if (res.ok) {
          attempt = 0;
          if (res.away) handlers.away?.(res.away);
        } else if (isGoneForGood(res.error.code)) handlers.gone?.(res.error.message);
        else if (s.connected) retry = setTimeout(resume, retryDelayMs(attempt++));
        // Not connected: the next 'connect' resumes again.
      },
    );
  };
  const stop = onEveryConnect(() => {
    attempt = 0;
    resume();
  });
  return {
    onView: (cb) => (handlers.view = cb),
    onEnded: (cb) => (handlers.ended = cb),
    onGone: (cb) => (handlers.gone = cb),
    onAway: (cb) => (handlers.away = cb),
    act: (action) => sendCommand('player:action', action),
    close: () => {
      closed = true;
      clearTimeout(retry);
      stop();
      s.off('view:student', onView);
      s.off('game:ended', onEnded);
      s.off('player:kicked', onKicked);
      s.off('room:closed', onKicked);
    },
  };
}
