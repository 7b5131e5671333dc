import type pg from 'pg';
import { inTransaction } from './postgres-transaction.ts';

/**
 * The cluster's schema, as numbered steps applied once each, in order, at every process's start. A step
 * already applied is never edited: a change is a new step. Processes that start together take an
 * advisory lock, so exactly one of them applies a step and the others find it done.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'games, players and the fenced command log',
    sql: `
      CREATE TABLE games (
        game_id            text PRIMARY KEY,
        room_code          text NOT NULL,
        created_at         bigint NOT NULL,
        -- json, not jsonb: the log is kept as written, key order included (a replay must see what the game saw).
        header             json NOT NULL,
        teacher_token_hash text NOT NULL,
        room               jsonb NOT NULL,
        -- The room is open somewhere in the cluster (it is taken over if its owner dies).
        live               boolean NOT NULL DEFAULT true,
        ended_at           bigint,
        log_end            json,
        outcome            jsonb,
        -- The highest fencing number (lease epoch) seen for this game: appends under a lower one are refused.
        epoch              bigint NOT NULL DEFAULT 0
      );
      -- Room codes are unique across the cluster among open rooms (a closed room's code may come back).
      CREATE UNIQUE INDEX games_live_room_code ON games (room_code) WHERE live;
      CREATE INDEX games_created_at ON games (created_at DESC);
      CREATE TABLE game_commands (
        game_id text NOT NULL REFERENCES games (game_id),
        seq     integer NOT NULL,
        entry   json NOT NULL,
        epoch   bigint NOT NULL,
        PRIMARY KEY (game_id, seq)
      );
      CREATE TABLE game_players (
        game_id    text NOT NULL REFERENCES games (game_id),
        player_id  text NOT NULL,
        name       text NOT NULL,
        token_hash text NOT NULL,
        kicked     boolean NOT NULL DEFAULT false,
        PRIMARY KEY (game_id, player_id)
      );
    `,
  },
  {
    version: 2,
    name: 'checkpoints of running games',
    sql: `
      -- The latest checkpoint of a running game (shared/sim/checkpoint.ts): a takeover folds only the log after it.
      CREATE TABLE game_checkpoints (
        game_id text PRIMARY KEY REFERENCES games (game_id),
        tick    integer NOT NULL,
        bytes   bytea NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'room failures kept with the game',
    sql: `
      -- How often the game's room stopped with an unexpected error, on whichever process (ClusterRooms
      -- closes it after MAX_ROOM_FAILURES). Kept here, not in Redis, which forgets everything when it
      -- restarts: a room failing in a loop must not get fresh tries from a Redis restart.
      ALTER TABLE games
        ADD COLUMN failures        integer NOT NULL DEFAULT 0,
        ADD COLUMN last_failure_at timestamptz;
    `,
  },
  {
    version: 4,
    name: 'games deleted after GAME_RETENTION_DAYS',
    sql: `
      -- When the game was last written (ms since 1970): the retention sweep's age of a game. Each step is
      -- quick whatever the table's size (this transaction locks games out of every old process's appends
      -- while it runs): a nullable column, then a default for new rows, touch no row. Games from before
      -- it are stamped later, in small batches, from their end or (never ended) their creation, and the
      -- sweep's index is built CONCURRENTLY (PostgresStore.prepareSweep); a game with no stamp yet is not
      -- swept. The default stamps games that processes of an older version create during an upgrade.
      ALTER TABLE games ADD COLUMN last_write_at bigint;
      ALTER TABLE games
        ALTER COLUMN last_write_at SET DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
      -- A deleted game's id and when: its links answer "deleted", not "no such game".
      CREATE TABLE deleted_games (
        game_id    text PRIMARY KEY,
        deleted_at bigint NOT NULL
      );
      CREATE INDEX deleted_games_deleted_at ON deleted_games (deleted_at);
    `,
  },
];

/** Any fixed number: it names "Lemonscale's migrations" among PostgreSQL's advisory locks. */
const MIGRATION_LOCK = 0x1e3050;

/** Applies the steps this database lacks; returns the versions applied now (none when up to date). */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const have = new Set(done.rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (have.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}
