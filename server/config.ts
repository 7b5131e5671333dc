import path from 'node:path';

/**
 * Server configuration: environment variables with defaults that suit one classroom on one machine.
 * Every variable is documented in docs/server.md; tests build a config directly.
 */
export interface ServerConfig {
  port: number;
  host: string;
  /** Folder of the SQLite file (and nothing else). */
  dataDir: string;
  store: 'sqlite' | 'memory';
  /** Mount Vite in middleware mode (npm run dev). */
  dev: boolean;
  /** The client build served as static files. */
  clientDir: string;
  logLevel: string;
  /** Real milliseconds per tick at speed 1 (100 = 10 ticks a second). Tests lower it to fast-forward. */
  tickIntervalMs: number;
  /** How often each student is sent their view, and the teacher/projector the class view (real ms). */
  studentViewIntervalMs: number;
  classViewIntervalMs: number;
  /** How often a room's tick and settings are written down for crash recovery (real ms). */
  snapshotIntervalMs: number;
  /** Largest incoming Socket.IO message, bytes. */
  maxHttpBufferSize: number;
  /** Commands (actions) per socket per second, with a burst of the same size. */
  commandsPerSecond: number;
  /** Snapshots one connection may ask for (stream:resync) per minute. */
  resyncsPerMinute: number;
  /** Attempts naming a room (join, resume, watch) per address per minute, and failed ones. */
  joinAttemptsPerMinute: number;
  failedJoinsPerMinute: number;
  /** Rooms created per address per minute, and rooms live at once. */
  roomsPerMinute: number;
  maxRooms: number;
  /** An ended game's room stays open this long for results and reconnects, then closes. */
  endedRoomTtlMs: number;
  /** A room in which nothing happened for this long closes (its log stays). */
  idleRoomTtlMs: number;
  /** Projector leaderboard length. */
  projectorRows: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  port: 3000,
  host: '0.0.0.0',
  dataDir: './data',
  store: 'sqlite',
  dev: false,
  clientDir: './dist/client',
  logLevel: 'info',
  tickIntervalMs: 100,
  studentViewIntervalMs: 100,
  classViewIntervalMs: 250,
  snapshotIntervalMs: 1000,
  maxHttpBufferSize: 16 * 1024,
  commandsPerSecond: 20,
  resyncsPerMinute: 6,
  joinAttemptsPerMinute: 120,
  failedJoinsPerMinute: 20,
  roomsPerMinute: 10,
  maxRooms: 200,
  endedRoomTtlMs: 60 * 60 * 1000,
  idleRoomTtlMs: 6 * 60 * 60 * 1000,
  projectorRows: 10,
};

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return n;
}

/** Reads the environment (and --dev from the command line); throws with the variable's name on a bad value. */
export function loadConfig(env: Env = process.env, argv: string[] = process.argv): ServerConfig {
  const d = DEFAULT_CONFIG;
  const store = env.LEMONSCALE_STORE ?? d.store;
  if (store !== 'sqlite' && store !== 'memory')
    throw new Error(`LEMONSCALE_STORE must be sqlite or memory, got "${store}"`);
  return {
    port: int(env, 'PORT', d.port),
    host: env.HOST || d.host,
    dataDir: path.resolve(env.DATA_DIR || d.dataDir),
    store,
    dev: argv.includes('--dev'),
    clientDir: path.resolve(env.CLIENT_DIR || d.clientDir),
    logLevel: env.LOG_LEVEL || d.logLevel,
    tickIntervalMs: int(env, 'TICK_INTERVAL_MS', d.tickIntervalMs, 0.01),
    studentViewIntervalMs: int(env, 'STUDENT_VIEW_INTERVAL_MS', d.studentViewIntervalMs, 10),
    classViewIntervalMs: int(env, 'CLASS_VIEW_INTERVAL_MS', d.classViewIntervalMs, 50),
    snapshotIntervalMs: int(env, 'SNAPSHOT_INTERVAL_MS', d.snapshotIntervalMs, 50),
    maxHttpBufferSize: int(env, 'MAX_MESSAGE_BYTES', d.maxHttpBufferSize, 1024),
    commandsPerSecond: int(env, 'COMMANDS_PER_SECOND', d.commandsPerSecond, 1),
    resyncsPerMinute: int(env, 'RESYNCS_PER_MINUTE', d.resyncsPerMinute, 1),
    joinAttemptsPerMinute: int(env, 'JOIN_ATTEMPTS_PER_MINUTE', d.joinAttemptsPerMinute, 1),
    failedJoinsPerMinute: int(env, 'FAILED_JOINS_PER_MINUTE', d.failedJoinsPerMinute, 1),
    roomsPerMinute: int(env, 'ROOMS_PER_MINUTE', d.roomsPerMinute, 1),
    maxRooms: int(env, 'MAX_ROOMS', d.maxRooms, 1),
    endedRoomTtlMs: int(env, 'ENDED_ROOM_TTL_MS', d.endedRoomTtlMs, 1000),
    idleRoomTtlMs: int(env, 'IDLE_ROOM_TTL_MS', d.idleRoomTtlMs, 1000),
    projectorRows: int(env, 'PROJECTOR_ROWS', d.projectorRows, 1),
  };
}
