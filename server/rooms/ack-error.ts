import type { AckError } from '../../shared/protocol/errors.ts';

/** A refusal as the room core returns it (and the socket edge passes on in the ack). */
export function refusal(code: AckError['code'], message: string): { ok: false; error: AckError } {
  return { ok: false, error: { code, message } };
}
