import type { Scenario } from '../scenarios/schema.ts';
import type { Customer, GameState, Player, Stand } from './state.ts';
import { cloneState } from './clone-state.ts';
import { binaryVersion, decodeBinary, encodeBinary, isBinary } from './checkpoint-binary.ts';

/**
 * Checkpoint format version. Bump it whenever the encoding below changes; a checkpoint of another version
 * is refused (the caller then folds the log from the start, which always works: old logs still replay).
 */
export const CHECKPOINT_VERSION = 2;

/** The JSON format of version 1 (before the binary one): still read, so stored checkpoints restore. */
const JSON_VERSION = 1;

/**
 * Game ticks between the checkpoints a replay (ReplaySession) and a live room (the server's journal)
 * keep: 5 game seconds, so a seek or a room's recovery re-runs at most this many ticks.
 */
export const CHECKPOINT_EVERY = 50;

/** A checkpoint that cannot be read: another version, another game, or damaged bytes. */
export class CheckpointError extends Error {}

/** A game as it stood at a moment of its log: the state (after that tick's commands) and the next entry. */
export interface Checkpoint {
  state: GameState;
  /** Index of the next log entry to apply (LogFold.restore). */
  next: number;
}

/** Fields of one customer in the pool, in this order (both formats). */
const CUSTOMER_FIELDS = 6;

/**
 * Version 1: a stand as a row of its values (a business has dozens of stands: their field names would be most of
 * the bytes), customers by id (-1: nobody at the blender).
 */
type EncodedStand = [
  id: number,
  tier: number,
  status: Stand['status'],
  until: number,
  queue: number[],
  minDeadline: number,
  serving: number,
  remaining: number,
  syncedAt: number,
  servingSince: number,
  tabs: Record<number, number>,
  paid: number,
  served: number,
  gaveUp: number,
  arrived: number,
  balked: number,
];
type EncodedPlayer = Omit<Player, 'stands'> & { stands: EncodedStand[] };

/** Version 1 (JSON text). */
interface Encoded {
  v: number;
  next: number;
  /** The state without its scenario (the log's header has it) and with customers by id. */
  game: Omit<GameState, 'scenario' | 'players'>;
  /** Every customer waiting or being served anywhere, once: id, t, work, patience, regular, route. */
  customers: number[];
  players: EncodedPlayer[];
}

/** A version 1 checkpoint (JSON text), as written before the binary format. */
function decodeJson(bytes: Uint8Array, scenario: Scenario): Checkpoint {
  let e: Encoded;
  try {
    e = JSON.parse(new TextDecoder().decode(bytes)) as Encoded;
  } catch {
    throw new CheckpointError('the checkpoint is not readable (damaged bytes)');
  }
  if (typeof e !== 'object' || e === null || e.v !== JSON_VERSION)
    throw new CheckpointError(
      `checkpoint version ${String((e as Partial<Encoded> | null)?.v)} is not ${CHECKPOINT_VERSION}`,
    );
  const pool = new Map<number, Customer>();
  const cs = e.customers;
  for (let i = 0; i < cs.length; i += CUSTOMER_FIELDS)
    pool.set(cs[i]!, {
      id: cs[i]!,
      t: cs[i + 1]!,
      work: cs[i + 2]!,
      patience: cs[i + 3]!,
      regular: cs[i + 4]!,
      route: cs[i + 5]!,
    });
  const customer = (id: number): Customer => {
    const c = pool.get(id);
    if (!c) throw new CheckpointError(`customer ${id} is missing from the checkpoint's pool`);
    return c;
  };
  const players = e.players.map((p): Player => ({
    ...p,
    stands: p.stands.map(
      ([id, tier, status, until, queue, minDeadline, serving, remaining, syncedAt, ...rest]): Stand => ({
        id,
        tier,
        status,
        until,
        queue: queue.map(customer),
        minDeadline,
        serving: serving < 0 ? null : customer(serving),
        remaining,
        syncedAt,
        servingSince: rest[0],
        tabs: rest[1],
        paid: rest[2],
        served: rest[3],
        gaveUp: rest[4],
        arrived: rest[5],
        balked: rest[6],
      }),
    ),
  }));
  // cloneState puts every object back into the shapes and key order the simulation builds (and the
  // hash reads), keeping the pool's customers shared between players.
  return { state: cloneState({ ...e.game, scenario, players }), next: e.next };
}

/**
 * A game's state as bytes that restore to exactly the same state (same hash, same future): the binary
 * format of checkpoint-binary.ts. A single business is a checkpoint of its one-player state.
 */
export function encodeCheckpoint(state: GameState, next: number): Uint8Array {
  return encodeBinary(state, next, CHECKPOINT_VERSION);
}

/**
 * The game a checkpoint holds, rebuilt with the simulation's own object shapes, so it runs as fast as
 * one that was never saved. `scenario` is the log header's. Reads this version and version 1 (JSON).
 */
export function decodeCheckpoint(bytes: Uint8Array, scenario: Scenario): Checkpoint {
  if (!isBinary(bytes)) return decodeJson(bytes, scenario);
  const v = binaryVersion(bytes);
  if (v !== CHECKPOINT_VERSION)
    throw new CheckpointError(`checkpoint version ${v} is not ${CHECKPOINT_VERSION}`);
  try {
    return decodeBinary(bytes, scenario);
  } catch (e) {
    throw new CheckpointError(`the checkpoint is not readable (damaged bytes: ${(e as Error).message})`);
  }
}
