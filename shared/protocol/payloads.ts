import { z } from 'zod';
import { commandIdSchema } from './command-id.ts';
import {
  BOT_KINDS,
  LB_MODES,
  LB_POLICIES,
  BUYABLE_ITEMS,
  nicknameSchema,
  playerIdSchema,
} from '../sim/commands.ts';
import { teacherEventSchema } from '../sim/teacher-events.ts';
import { refusingDirectionControls } from '../sim/direction-controls.ts';

/** Schemas for every payload a client sends; the server validates each one at the edge. */

export const roomCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{4,8}$/, 'a room code is 4-8 letters or digits');

export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{12,128}$/, 'not a valid token');

/**
 * A player's token is also their rejoin code, shown on their screen: 12 characters from the room
 * codes' alphabet (no I, O, 0, 1), 60 bits, so that a student who lost their device types it to take
 * their business back. Guessing one is hopeless: every wrong code is a miss counted against the device
 * and the address by the join limits (20 and 200 a minute by default), and it only works in its room.
 */
export const REJOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const REJOIN_CODE_LENGTH = 12;
const REJOIN_CODE = new RegExp(`^[${REJOIN_CODE_ALPHABET}]{${REJOIN_CODE_LENGTH}}$`);

/** Whether a token is a rejoin code a person can type (tokens handed out before were longer). */
export function isRejoinCode(token: string): boolean {
  return REJOIN_CODE.test(token);
}

/** The rejoin code as typed: any case, with or without spaces and dashes ("k7qm-4xpa 9trc"). */
export const rejoinCodeSchema = z
  .string()
  .max(40, 'a rejoin code is 12 letters and digits')
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .refine((s) => REJOIN_CODE.test(s), 'a rejoin code is 12 letters and digits (no I, O, 0 or 1)');

/**
 * A random id each browser makes once and keeps (sent in the Socket.IO handshake's `auth`), so that join
 * limits can tell the devices behind one school address apart. It proves nothing: the address keeps a
 * larger budget of its own.
 */
export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a valid device id');

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
export const speedSchema = z.union([z.literal(0.5), z.literal(1), z.literal(2), z.literal(4), z.literal(8)]);
export type Speed = z.infer<typeof speedSchema>;

export const roomSettingsSchema = z.strictObject({
  /** Game seconds per real second. */
  speed: speedSchema.default(1),
  lateJoin: z.boolean().default(true),
  maxPlayers: z.number().int().min(1).max(5000).default(60),
  bots: z.array(z.enum(BOT_KINDS)).max(10).default([]),
  /** Which class plays ("Year 9 B"): shown in the replay list, the history across classes and the CSV. */
  className: z
    .string()
    .trim()
    .max(40, 'a class name is at most 40 characters')
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'a class name must not contain control characters')
    // It is shown to everyone (the replays list, the history across classes): as for nicknames, no
    // direction controls, which could make it, and the date beside it, read as something else.
    .refine(...refusingDirectionControls('a class name'))
    .default(''),
  /** Hide other players' scores from students until the end (the teacher can change it mid-game). */
  hideScores: z.boolean().default(false),
  /**
   * Keep the teacher's plan a surprise: students (and the projector) get no countdown to the next
   * scheduled event. Their pages still simulate it (it is in the scenario); they just do not say it.
   * The teacher can change it mid-game (the `schedule` action).
   */
  hideSchedule: z.boolean().default(false),
});
export type RoomSettings = z.infer<typeof roomSettingsSchema>;

export const createRoomSchema = z.strictObject({
  scenarioId: z.string().min(1).max(40),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  settings: roomSettingsSchema.prefault({}),
});

/** Optional on every action: the client's id for it, which makes a retry safe (see command-id.ts). */
const commandId = commandIdSchema.optional();

export const teacherResumeSchema = z.strictObject({ roomCode: roomCodeSchema, teacherToken: tokenSchema });
/** Invisible characters a typed nickname loses (emoji joiners and selectors are kept; see name-key.ts). */
const STRIPPED = /[\u00ad\u180e\u200b\u200c\u2060-\u2064\ufeff]/gu;

/**
 * A nickname as typed: NFKC-normalised (full-width and styled letters become plain ones), invisible
 * characters removed, direction controls refused, then the simulation's rules (trimmed, 1-24 characters,
 * no control characters). Look-alikes of a name already in the room are the room's to refuse, by nameKey().
 */
export const typedNicknameSchema = z
  .string()
  .max(200, 'must be at most 24 characters')
  .transform((s) => s.normalize('NFKC').replace(STRIPPED, ''))
  .refine(...refusingDirectionControls())
  .pipe(nicknameSchema);

export const joinSchema = z.strictObject({ roomCode: roomCodeSchema, nickname: typedNicknameSchema });
/** Come back with the token this device kept, or with the rejoin code shown on the screen (any device). */
export const playerResumeSchema = z
  .strictObject({
    roomCode: roomCodeSchema,
    playerToken: tokenSchema.optional(),
    rejoinCode: rejoinCodeSchema.optional(),
  })
  .refine((p) => (p.playerToken === undefined) !== (p.rejoinCode === undefined), {
    message: 'send either playerToken or rejoinCode',
  })
  .transform(({ roomCode, playerToken, rejoinCode }) => ({
    roomCode,
    playerToken: (playerToken ?? rejoinCode)!,
  }));
export const watchSchema = z.strictObject({ roomCode: roomCodeSchema });
/**
 * The teacher removes a player by clicking their name on the projector. The projector's socket is not the
 * teacher's, so the teacher's token (kept by the browser the console runs in) comes with the click.
 */
export const projectorRemoveSchema = z.strictObject({
  roomCode: roomCodeSchema,
  teacherToken: tokenSchema.optional(),
  playerId: playerIdSchema,
  commandId,
});
/** A student leaves on purpose (the connection stays open, for the join page). */
export const leaveSchema = z.strictObject({});

/** What a student can do: a player command without the player id (the server knows who is asking). */
export const playerActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('buy'), commandId, item: z.enum(BUYABLE_ITEMS) }),
  z.strictObject({ type: z.literal('upgrade'), commandId, standId: z.number().int().min(0).max(1_000_000) }),
  z.strictObject({
    type: z.literal('sell'),
    commandId,
    item: z.enum(BUYABLE_ITEMS),
    standId: z.number().int().min(0).max(1_000_000).optional(),
  }),
  z.strictObject({ type: z.literal('set-policy'), commandId, policy: z.enum(LB_POLICIES) }),
  z.strictObject({ type: z.literal('set-lb-mode'), commandId, mode: z.enum(LB_MODES) }),
]);
export type PlayerAction = z.infer<typeof playerActionSchema>;

/** What a teacher can do. start/end/event/kick become game commands; pause/resume/speed/lock/scores/schedule are the room's. */
export const teacherActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), commandId }),
  z.strictObject({ type: z.literal('pause'), commandId }),
  z.strictObject({ type: z.literal('resume'), commandId }),
  z.strictObject({ type: z.literal('end'), commandId }),
  z.strictObject({ type: z.literal('speed'), commandId, speed: speedSchema }),
  z.strictObject({ type: z.literal('event'), commandId, event: teacherEventSchema }),
  z.strictObject({ type: z.literal('kick'), commandId, playerId: playerIdSchema }),
  z.strictObject({ type: z.literal('lock'), commandId, locked: z.boolean() }),
  /** Hide or show everyone's scores mid-game (hidden: students get no rank, the projector no leaderboard). */
  z.strictObject({ type: z.literal('scores'), commandId, hidden: z.boolean() }),
  /**
   * Keep the schedule a surprise, or count down to it again, mid-game (the host's `hideSchedule`):
   * hidden, students and the projector get no countdown to the next planned event.
   */
  z.strictObject({ type: z.literal('schedule'), commandId, hidden: z.boolean() }),
]);
export type TeacherAction = z.infer<typeof teacherActionSchema>;
