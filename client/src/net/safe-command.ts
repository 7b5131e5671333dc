import type { Ack, ErrorCode } from '../../../shared/protocol/errors.ts';
import { gameSocket, NO_ANSWER, request } from './socket.ts';

/**
 * Answers after which the same command is sent again with the same id: the server did not answer (the
 * ack may have been lost with the connection or the server), could not save (`server-error`, `cant-save`),
 * the connection came back but has not resumed yet (`not-player`, `not-teacher`), or in cluster mode the
 * room's process could not be reached (`owner-unavailable`, during a failover). Sending again is safe
 * because the id makes the server answer a command it already took with its first outcome (see
 * shared/protocol/command-id.ts).
 */
const WORTH_RETRYING: readonly ErrorCode[] = [
  'server-error',
  'cant-save',
  'not-player',
  'not-teacher',
  'owner-unavailable',
];

/** How long a command keeps being retried before its last answer is shown. */
const GIVE_UP_MS = 60_000;

export function isWorthRetrying(res: Ack, noAnswer: Ack = NO_ANSWER): boolean {
  return res === noAnswer || (!res.ok && WORTH_RETRYING.includes(res.error.code));
}

/** A fresh id for one command (crypto.getRandomValues works on plain-http LAN pages too). */
export function newCommandId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface CommandSending {
  send(payload: object): Promise<Ack<{ tick: number }>>;
  /** Resolves after `ms`, and once the socket is connected again. */
  pause(ms: number): Promise<void>;
  now(): number;
}

/**
 * Sends an action with a new command id and, while the answer is worth retrying, sends it again with the
 * same id (after 0.5 s doubling to 8 s, once connected) for up to a minute.
 */
export async function sendWithRetries(
  action: object,
  how: CommandSending,
  commandId: string = newCommandId(),
): Promise<Ack<{ tick: number }>> {
  const payload = { ...action, commandId };
  const until = how.now() + GIVE_UP_MS;
  for (let attempt = 0; ; attempt++) {
    const res = await how.send(payload);
    if (!isWorthRetrying(res) || how.now() >= until) return res;
    await how.pause(Math.min(8000, 500 * 2 ** attempt));
  }
}

function connectedAgain(): Promise<void> {
  const s = gameSocket();
  return s.connected ? Promise.resolve() : new Promise((r) => s.once('connect', () => r()));
}

/** The page's socket: `player:action` or `teacher:action`, retried safely. */
export function sendCommand(
  event: 'player:action' | 'teacher:action',
  action: object,
): Promise<Ack<{ tick: number }>> {
  return sendWithRetries(action, {
    send: (payload) => request(event, payload),
    pause: (ms) => new Promise((r) => setTimeout(r, ms)).then(connectedAgain),
    now: () => Date.now(),
  });
}
