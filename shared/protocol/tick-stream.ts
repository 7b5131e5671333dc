import { z } from 'zod';
import { commandSchema, type Command } from '../sim/commands.ts';
import type { GameState } from '../sim/state.ts';
import { speedSchema } from './payloads.ts';
import type { SaveTrouble } from './views.ts';
import type { Headcount } from '../views/headcount.ts';
import type { Place } from '../views/rank-sharing.ts';

/**
 * The tick stream: how a student's browser keeps its own business in step with the server's game
 * (docs/tick-stream.md). Per room, one message per broadcast interval says "ticks `from`..`to` happened,
 * with these room-wide commands"; it is the same for every student of the room and encoded once. Each
 * student also gets their own business's commands (from any of their devices), a snapshot on join,
 * resume or request, and about once a second a proof: the hash of their business at a named point.
 *
 * A point in the game is (tick, seq): the tick the game is at and how many log entries it has applied.
 * Log entries are applied in `seq` order, each at its tick, the game stepping between them (LogFold).
 */
export const TICK_STREAM_VERSION = 3;

/*
 * Version rules. Every schema here is strict, so a page refuses a message with a field it does not know
 * (the tick message: "reload this page"; a resync of another version: a message saying to reload).
 * - An optional field that is absent in the usual case (like `cantSave`) keeps the version: a page of
 *   the previous version reads every message without it, and meets a reload prompt only on one with it.
 * - Anything else (a new required field, a field removed or renamed, a meaning changed) bumps
 *   TICK_STREAM_VERSION: pages of the old version then refuse every message and ask to be reloaded.
 * History: 2 added `rankShared` to snapshots and proofs (a tie is the usual case at a game's start, so
 * the field is required), and moved the room's player count from proofs to the tick message (`players`,
 * present when it changed): a lobby or a paused room publishes once a second, so each student's proof,
 * spread over ten slots, came every ten seconds, and the lobby's count lagged its joins by as much; and
 * added `scheduleHidden` to snapshots and tick messages (the teacher can keep the schedule a surprise
 * mid-game; the join and resume acks say only how it stood then), and `scoresHidden` to tick messages
 * (the teacher hides the scores: the page drops its rank with the next message).
 * 3 made `players` a headcount, students and bots apart (a lobby counted the teacher's bots as
 * classmates), and put the rank, how many share it and how many were ranked in one `place` of snapshots
 * and proofs: the HUD said "#1 of 30 (all tied)" with the count from the tick stream and the rest from
 * the last proof, which disagreed for up to a proof interval after a join.
 */

const tick = z.number().int().min(0);
const seq = z.number().int().min(0);

/** Commands that reach every business of a room; every other command concerns one player. */
export const ROOM_WIDE_COMMANDS = ['start', 'end', 'event'] as const;

/** Who plays in the room, students and bots apart (shared/views/headcount.ts). */
const headcountSchema = z.strictObject({
  students: z.number().int().min(0),
  bots: z.number().int().min(0),
}) satisfies z.ZodType<Headcount>;

/** One log entry, with its place in the log. */
export const streamEntrySchema = z.strictObject({ seq, tick, cmd: commandSchema });
export interface StreamEntry {
  seq: number;
  tick: number;
  cmd: Command;
}

/** The room cannot save (views.ts SaveTrouble, the students' words): the game holds still. */
export const saveTroubleSchema = z.strictObject({
  fault: z.enum(['full', 'io', 'gone', 'unreachable']),
  message: z.string().max(500),
}) satisfies z.ZodType<SaveTrouble>;

/** 'stream:tick', to every student of a room: the game went from (from, seqFrom) to (to, seqTo). */
export const tickMessageSchema = z.strictObject({
  v: z.literal(TICK_STREAM_VERSION),
  from: tick,
  to: tick,
  seqFrom: seq,
  seqTo: seq,
  /** The room-wide entries with seq in [seqFrom, seqTo). */
  entries: z.array(streamEntrySchema),
  /** Room settings a screen shows; they do not change the simulation (ticks simply stop or speed up). */
  paused: z.boolean(),
  speed: speedSchema,
  /**
   * How many play in the room now, students and bots apart (joins and removals are log entries), present
   * when it changed since the previous message (the first message of a stream has it); the snapshot has
   * it too. Counts: never a name. A rank's "of 30" is not this count but its own ranking's (`place`).
   */
  players: headcountSchema.optional(),
  /**
   * The teacher keeps the schedule a surprise (true) or not, present when it changed since the previous
   * message (the first has it; the snapshot too): the page shows no countdown to planned events meanwhile.
   */
  scheduleHidden: z.boolean().optional(),
  /**
   * The teacher hides the scores now (true) or not, present when it changed since the previous message
   * (the first has it): the page drops the rank it holds at once, not at its next proof (up to seconds
   * later in a big room). The rank itself comes only in proofs and snapshots, null while hidden.
   */
  scoresHidden: z.boolean().optional(),
  /**
   * Present while the room holds its commands because the store refuses writes (the teacher sees the
   * same fault in the class view): the student's page shows the can't-save banner until a message
   * comes without it. Optional, absent in the usual case: no version bump (the rules above).
   */
  cantSave: saveTroubleSchema.optional(),
});
export type TickMessage = z.infer<typeof tickMessageSchema>;

/** 'stream:command', to one player's connections: a command of their business, applied at its tick. */
export const businessCommandSchema = streamEntrySchema;
export type BusinessCommand = StreamEntry;

/** A place in one class ranking (shared/views/rank-sharing.ts): rank, how many hold it, how many ranked. */
const placeSchema = z
  .strictObject({
    rank: z.number().int().min(1),
    /** How many players hold `rank`, this one included (1: nobody else; shared/sim/results.ts). */
    shared: z.number().int().min(1),
    /** How many players that ranking ranked. */
    of: z.number().int().min(1),
  })
  .refine((p) => p.rank + p.shared - 1 <= p.of, {
    message: 'a place lies within its ranking (rank + shared - 1 <= of)',
  }) satisfies z.ZodType<Place>;
/**
 * Class facts a student's screen shows beside their business: their place in the latest class ranking
 * (rank, how many hold it, how many were ranked: one ranking's, so the words agree). Nothing about any
 * other student: counts, never a name or a figure.
 */
const classFacts = {
  /** Null while the teacher hides the scores (and before the first class ranking). */
  place: placeSchema.nullable(),
};

/**
 * 'stream:snapshot', to one connection: their business alone (a one-player game state the shared fold
 * can advance by itself) at (tick, seq). The state is checked by its hash, not by a schema here.
 */
export const businessSnapshotSchema = z.strictObject({
  v: z.literal(TICK_STREAM_VERSION),
  playerId: z.string(),
  tick,
  seq,
  paused: z.boolean(),
  speed: speedSchema,
  /** How many play in the room (later changes come with the tick messages). */
  players: headcountSchema,
  /** The schedule is kept a surprise now (later changes come with the tick messages). */
  scheduleHidden: z.boolean(),
  ...classFacts,
  hash: z.string(),
  state: z.custom<GameState>(
    (s) => typeof s === 'object' && s !== null && Array.isArray((s as GameState).players),
    'a game state',
  ),
});
export type BusinessSnapshot = z.infer<typeof businessSnapshotSchema>;

/** 'stream:proof', to one player's connections at most once a second: their business's hash at (tick, seq). */
export const businessProofSchema = z.strictObject({ tick, seq, hash: z.string(), ...classFacts });
export type BusinessProof = z.infer<typeof businessProofSchema>;

/** Why a browser asks for a fresh snapshot. */
export const RESYNC_REASONS = ['gap', 'mismatch', 'error'] as const;

/** 'stream:resync', from a student: "send me a fresh snapshot"; `tick` is where the browser's business is. */
export const resyncRequestSchema = z.strictObject({
  v: z.literal(TICK_STREAM_VERSION, {
    error: `this page speaks an old tick stream; reload it (the server speaks version ${TICK_STREAM_VERSION})`,
  }),
  tick,
  reason: z.enum(RESYNC_REASONS),
});
export type ResyncRequest = z.infer<typeof resyncRequestSchema>;
