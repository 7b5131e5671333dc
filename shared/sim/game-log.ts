import { z } from 'zod';
import { commandSchema, type Command } from './commands.ts';
import { scenarioSchema, formatIssues, type ParseResult, type Scenario } from '../scenarios/schema.ts';
import { SIM_VERSION } from './constants.ts';

/**
 * The game log: everything needed to rebuild a game, and nothing else. Header (format version,
 * scenario, seed, room settings), then the accepted commands in the order they took effect, each with
 * its tick, then (once the game is over) the final tick and state hash. Documented in docs/game-log.md.
 */
export const LOG_FORMAT = 'lemonscale-log';
export const LOG_VERSION = SIM_VERSION;

export interface LogHeader {
  scenario: Scenario;
  seed: number;
  /** Room settings and metadata the simulation does not read (speed, caps, room code, ...). */
  settings: Record<string, unknown>;
}

export interface LogEntry {
  tick: number;
  cmd: Command;
  /**
   * The id the client gave the command (absent for bots, joins, and logs from before ids): a command
   * retried after a lost acknowledgement is recognised by it, also after a restart. The fold ignores it.
   */
  id?: string;
}

export interface LogEnd {
  tick: number;
  hash: string;
}

export interface GameLog {
  format: typeof LOG_FORMAT;
  version: number;
  header: LogHeader;
  commands: LogEntry[];
  end?: LogEnd;
}

const logSchema = z.strictObject({
  format: z.literal(LOG_FORMAT),
  version: z.number().int(),
  header: z.strictObject({
    scenario: scenarioSchema,
    seed: z.number().int().min(0).max(0xffffffff),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
  commands: z.array(
    z.strictObject({ tick: z.number().int().min(0), cmd: commandSchema, id: z.string().max(64).optional() }),
  ),
  end: z.strictObject({ tick: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{14}$/) }).optional(),
});

/** Checks a log read from a file or the network; names what is wrong when it is refused. */
export function parseLog(input: unknown): ParseResult<GameLog> {
  if (typeof input !== 'object' || input === null)
    return { ok: false, errors: ['a game log is a JSON object'] };
  const o = input as Record<string, unknown>;
  if (o.format !== LOG_FORMAT)
    return { ok: false, errors: [`format: expected "${LOG_FORMAT}", this is not a Lemonscale game log`] };
  if (typeof o.version === 'number' && o.version !== LOG_VERSION) {
    return {
      ok: false,
      errors: [
        `version: this log is format version ${o.version}; this Lemonscale reads version ${LOG_VERSION}` +
          (o.version > LOG_VERSION
            ? ' (the log comes from a newer Lemonscale: upgrade to replay it)'
            : ' (it was played with older rules, which this version no longer has, so it cannot be replayed exactly: use the Lemonscale that recorded it)'),
      ],
    };
  }
  const r = logSchema.safeParse(input);
  if (!r.success) return { ok: false, errors: formatIssues(r.error) };
  const cmds = r.data.commands;
  for (let i = 1; i < cmds.length; i++) {
    if (cmds[i]!.tick < cmds[i - 1]!.tick)
      return { ok: false, errors: [`commands.${i}.tick: commands are out of tick order`] };
  }
  return { ok: true, value: r.data as GameLog };
}

export function newLog(header: LogHeader): GameLog {
  return { format: LOG_FORMAT, version: LOG_VERSION, header, commands: [] };
}
