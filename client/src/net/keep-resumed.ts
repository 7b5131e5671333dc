import type { Ack, ErrorCode } from '../../../shared/protocol/errors.ts';
import { ask, onEveryConnect, type AckOf, type GameSocket } from './socket.ts';
import { isGoneForGood, retryDelayMs } from './resume-backoff.ts';
import type { Timers } from './timers.ts';

/** How long a request waits for its answer before it is sent again (the first still counts if it comes). */
export const RESUME_PATIENCE_MS = 8000;

/** The requests that put a page back in its room on a new connection. */
type RejoinEvent = 'player:resume' | 'teacher:resume' | 'projector:watch';
type Answer<E extends RejoinEvent> = AckOf<E>;
type Yes<E extends RejoinEvent> = Extract<Answer<E>, { ok: true }>;

export interface KeepResumed<E extends RejoinEvent> {
  event: E;
  payload: () => unknown;
  s: GameSocket;
  /** How long a request waits for its answer before it is sent again (the first still counts if it comes). */
  patienceMs: number;
  timers: Timers;
  /** The server took the page back (once per connection). */
  ok: (res: Yes<E>) => void;
  /**
   * The room or the page's place in it is gone for good (`isGoneForGood`), or what the page asks with is
   * malformed (`invalid-payload`: a code typed into the address, a damaged saved token): nothing more is
   * asked (a projector at /projector/AB asked every 30 s for ever, showing the schema's words).
   */
  gone: (code: ErrorCode, message: string) => void;
  /** A refusal that may pass (a failover, a limit, a busy server): it is asked again after a backoff. */
  waiting?: (code: ErrorCode, message: string) => void;
}

/**
 * Keeps a page in its room across connections: a student's business, the teacher's console and the
 * projector each ask the server to take them back on every (re)connect, and keep asking until it says yes
 * or says the room is gone for good. One rule for all three: a console that took a failover's
 * `owner-unavailable` (cluster mode: the room between two processes for a fraction of a second) as final
 * stayed frozen until the teacher reloaded the page, while the students' pages carried on.
 *
 * A temporary refusal (too many attempts, rate limits, a server error, `owner-unavailable`) asks again
 * after `retryDelayMs` (0.2 s first for a failover, 1 s otherwise, doubling). An answer is never given up
 * on: the first one may carry what the server hands out once (a student's away note), and a server or
 * network slower than `patienceMs` still answers. So a request with no answer for `patienceMs` is sent
 * again (each further one waits longer, with the backoff's spread: a stalled server with a class waiting
 * must not get a wave of requests every few seconds, each answered with a whole snapshot), and every
 * answer still counts when it comes: the first ok one settles this connection. Returns `stop`.
 */
export function keepResumed<E extends RejoinEvent>(k: KeepResumed<E>): () => void {
  let attempt = 0;
  /** Requests sent on this connection with no answer yet: how long the next one waits. */
  let unanswered = 0;
  let retry: unknown;
  let resumed = false;
  let closed = false;
  const answered = (answer: Answer<E>): void => {
    if (closed) return;
    unanswered = 0;
    // The three events' answers differ only in what a yes carries.
    const res = answer as Ack;
    if (res.ok) {
      if (resumed) return; // a late answer to a request sent again: the first settled it
      resumed = true;
      attempt = 0;
      k.timers.clear(retry);
      k.ok(answer as Yes<E>);
    } else if (isGoneForGood(res.error.code) || res.error.code === 'invalid-payload') {
      // invalid-payload: what the page sends (a saved token, a code in the address) can never be taken.
      closed = true;
      k.timers.clear(retry);
      k.gone(res.error.code, res.error.message);
    } else if (!resumed && k.s.connected) {
      k.timers.clear(retry);
      retry = k.timers.set(resume, retryDelayMs(attempt++, Math.random, res.error.code));
      k.waiting?.(res.error.code, res.error.message);
    }
    // Not connected: the next 'connect' asks again.
  };
  const resume = (): void => {
    k.timers.clear(retry);
    if (closed || resumed || !k.s.connected) return;
    ask(k.event, k.payload(), answered, k.s);
    retry = k.timers.set(resume, k.patienceMs + (unanswered > 0 ? retryDelayMs(unanswered - 1) : 0));
    unanswered++;
  };
  const stopConnects = onEveryConnect(() => {
    attempt = 0;
    unanswered = 0;
    resumed = false;
    resume();
  }, k.s);
  return () => {
    closed = true;
    k.timers.clear(retry);
    stopConnects();
  };
}
