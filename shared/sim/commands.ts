import { z } from 'zod';
import { teacherEventSchema } from './teacher-events.ts';

/**
 * Commands are plain data; everything that changes a game is one, applied at a tick boundary. The game
 * log is the scenario header plus the ordered list of accepted commands, and state = fold(log).
 */
export const playerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, _ or -');

/** Nicknames: trimmed, 1-24 characters, no control characters. Uniqueness is the room's business. */
export const nicknameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(24, 'must be at most 24 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must not contain control characters');

export const LB_POLICIES = ['round-robin', 'random', 'least-queue'] as const;
export const LB_MODES = ['active-passive', 'active-active'] as const;
export const BOT_KINDS = ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'] as const;
export type LbPolicy = (typeof LB_POLICIES)[number];
export type LbMode = (typeof LB_MODES)[number];
export type BotKind = (typeof BOT_KINDS)[number];

export const BUYABLE_ITEMS = ['stand', 'load-balancer', 'notebook', 'notebook-replica'] as const;
export type BuyableItem = (typeof BUYABLE_ITEMS)[number];

const standId = z.number().int().min(0).max(1_000_000);

export const playerCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('buy'), playerId: playerIdSchema, item: z.enum(BUYABLE_ITEMS) }),
  z.strictObject({ type: z.literal('upgrade'), playerId: playerIdSchema, standId }),
  z.strictObject({
    type: z.literal('sell'),
    playerId: playerIdSchema,
    item: z.enum(BUYABLE_ITEMS),
    /** Which stand, when selling a stand. */
    standId: standId.optional(),
  }),
  z.strictObject({ type: z.literal('set-policy'), playerId: playerIdSchema, policy: z.enum(LB_POLICIES) }),
  z.strictObject({ type: z.literal('set-lb-mode'), playerId: playerIdSchema, mode: z.enum(LB_MODES) }),
]);

export const commandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('join'),
    playerId: playerIdSchema,
    name: nicknameSchema,
    bot: z.enum(BOT_KINDS).nullable().default(null),
  }),
  z.strictObject({ type: z.literal('kick'), playerId: playerIdSchema }),
  z.strictObject({ type: z.literal('start') }),
  z.strictObject({ type: z.literal('end') }),
  z.strictObject({ type: z.literal('event'), event: teacherEventSchema }),
  ...playerCommandSchema.options,
]);

export type Command = z.infer<typeof commandSchema>;
export type PlayerCommand = z.infer<typeof playerCommandSchema>;
export type CommandType = Command['type'];

/** Why a command was refused; the state is untouched whenever one of these is returned. */
export type RefusalReason =
  | 'malformed'
  | 'game-not-started'
  | 'game-ended'
  | 'already-started'
  | 'duplicate-player'
  | 'unknown-player'
  | 'player-removed'
  | 'unknown-stand'
  | 'not-enough-cash'
  | 'max-tier'
  | 'stand-not-ready'
  | 'max-stands'
  | 'max-load-balancers'
  | 'already-owned'
  | 'not-owned'
  | 'needs-load-balancer'
  | 'needs-notebook'
  | 'last-stand'
  | 'sell-replica-first';

export type CommandResult = { ok: true } | { ok: false; reason: RefusalReason; message: string };

export function refuse(reason: RefusalReason, message: string): CommandResult {
  return { ok: false, reason, message };
}
