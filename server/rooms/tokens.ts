import { createHash, randomBytes, randomInt } from 'node:crypto';
import { REJOIN_CODE_ALPHABET, REJOIN_CODE_LENGTH } from '../../shared/protocol/payloads.ts';

/**
 * Secrets handed to teachers and players. Only their SHA-256 hashes are kept (in memory and on disk), so a
 * copy of the data folder does not let anyone take over a game.
 */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A player's token, which is also the rejoin code on their screen: short enough to type, long enough
 * (60 bits) that guessing one within the join limits is hopeless (shared/protocol/payloads.ts).
 */
export function newPlayerToken(): string {
  let code = '';
  for (let i = 0; i < REJOIN_CODE_LENGTH; i++)
    code += REJOIN_CODE_ALPHABET[randomInt(REJOIN_CODE_ALPHABET.length)];
  return code;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Ids that appear in logs and views; not secrets, but not guessable either. */
export function newGameId(): string {
  return randomBytes(8).toString('hex');
}

export function newPlayerId(): string {
  return 'p-' + randomBytes(6).toString('base64url');
}

/** No I, O, 0, 1: codes are read off a projector and typed by children. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const ROOM_CODE_LENGTH = 5;

export function newRoomCode(): string {
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
