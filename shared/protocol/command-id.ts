import { z } from 'zod';

/**
 * The id a client gives each action it sends (`commandId` in `player:action` and `teacher:action`), so
 * that sending it again after a lost acknowledgement is safe: the room answers a retry with the first
 * outcome and never applies it twice, also after a restart (accepted commands keep their id in the log).
 * Ids are per sender: a student's ids never match another student's. Optional on the wire (older
 * clients, scripts); the game's own client always sends one.
 */
export const commandIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, "-" or "_"');
