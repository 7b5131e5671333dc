import os from 'node:os';
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
  /** SQLite's synchronous setting: FULL (survives power loss) or NORMAL (survives process crashes only). */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** Mount Vite in middleware mode (npm run dev). */
  dev: boolean;
  /** The client build served as static files. */
  clientDir: string;
  logLevel: string;
  /** Write the log to this file (emptied at start) instead of stdout; null: stdout. The browser tests set it. */
  logFile: string | null;
  /** Real milliseconds per tick at speed 1 (100 = 10 ticks a second). Tests lower it to fast-forward. */
  tickIntervalMs: number;
  /** How often each student is sent their view, and the teacher/projector the class view (real ms). */
  studentViewIntervalMs: number;
  classViewIntervalMs: number;
  /** How often a room's tick and settings are written down for crash recovery (real ms). */
  snapshotIntervalMs: number;
  /** How long a student's command waits for others to share its store write (0: written on its own). */
  groupCommitMs: number;
  /**
   * SQLite: the writes of every room made in the same turn of the event loop share one transaction (one
   * disk sync); false: each room commits on its own (for comparisons).
   */
  crossRoomCommit: boolean;
  /** Largest incoming Socket.IO message, bytes. */
  maxHttpBufferSize: number;
  /** Bytes the server may hold for a connection that is not reading; past it the connection is cut. */
  maxUnsentBytes: number;
  /** Commands (actions) per socket per second, with a burst of the same size. */
  commandsPerSecond: number;
  /** Snapshots one connection may ask for (stream:resync) per minute. */
  resyncsPerMinute: number;
  /** Events of any kind (valid or not) per connection per second; far past it the connection is closed. */
  eventsPerSecond: number;
  /** Attempts naming a room (join, resume, watch) per device per minute, and failed ones (then blocked). */
  joinAttemptsPerMinute: number;
  failedJoinsPerMinute: number;
  /** The same for a whole address (a class behind one school address, or a script making up device ids). */
  addressAttemptsPerMinute: number;
  addressFailedJoinsPerMinute: number;
  /** Rooms created per address per minute, and rooms live at once. */
  roomsPerMinute: number;
  maxRooms: number;
  /** Rooms open at once that were created from one address (less than maxRooms: no address fills them all). */
  roomsPerAddress: number;
  /** Engine.IO connections (websocket or long-polling) open at once from one address; past it handshakes are refused. */
  connectionsPerAddress: number;
  /** Game logs read from the store (downloads the ended-log cache does not answer) per address per minute. */
  logReadsPerMinute: number;
  /** A lobby (game not started) with nobody connected closes after this long. */
  lobbyIdleTtlMs: number;
  /** Commands one game's log may hold; past it the game takes no more (only the teacher's end). */
  maxLogCommands: number;
  /** An ended game's room stays open this long for results and reconnects, then closes. */
  endedRoomTtlMs: number;
  /** A room in which nothing happened for this long closes (its log stays). */
  idleRoomTtlMs: number;
  /**
   * Games not open in any room and not written for this many days are deleted with everything the store
   * keeps of them (server/storage/game-retention.ts); null: kept forever (GAME_RETENTION_DAYS=0 or keep).
   */
  gameRetentionDays: number | null;
  /** Origins besides the server's own whose pages may open a Socket.IO connection (ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** Projector leaderboard length. */
  projectorRows: number;
  /**
   * Behind our own load balancer (TRUST_PROXY=1, set by `npm run cluster`): a client's address is the last
   * X-Forwarded-For entry, the one the balancer added. Never set it when clients reach the process
   * directly: they could then claim any address and escape the per-address limits.
   */
  trustProxy: boolean;
  /**
   * Behind a load balancer (BALANCER_HOST + BALANCER_PORT, set by `npm run cluster`): where the balancer
   * listens, the address students reach, for the join link and QR code (GET /api/info); null: this
   * process's own HOST and port.
   */
  balancer: ListenAddress | null;
  /** Cluster mode (REDIS_URL and DATABASE_URL both set), or null for the default: one process, one store. */
  cluster: ClusterConfig | null;
}

/** An address a server listens on: `0.0.0.0` or `::` means every network interface of its machine. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Where the shared parts of a cluster are: Redis for leases, PostgreSQL for the game log. */
export interface ClusterConfig {
  redisUrl: string;
  databaseUrl: string;
  /** How long a room owner's lease lasts unless renewed (ms): the longest a room waits for a new owner. */
  leaseMs: number;
  /** This process's name among the cluster's (NODE_ID; default host name and process id). */
  nodeId: string;
  /** Namespace of this cluster's Redis keys (KEY_PREFIX; tests use their own). */
  keyPrefix: string;
}

/**
 * Students of a whole school behind one address, the default for what one address may do: as many join
 * attempts in a minute (ADDRESS_ATTEMPTS_PER_MINUTE) as connections open at once (CONNECTIONS_PER_ADDRESS),
 * so a school that may join in a minute may also stay connected.
 */
const SCHOOL_BEHIND_ONE_ADDRESS = 3000;

export const DEFAULT_CONFIG: ServerConfig = {
  port: 3000,
  host: '0.0.0.0',
  dataDir: './data',
  store: 'sqlite',
  sqliteSynchronous: 'FULL',
  dev: false,
  clientDir: './dist/client',
  logLevel: 'info',
  logFile: null,
  tickIntervalMs: 100,
  studentViewIntervalMs: 100,
  classViewIntervalMs: 250,
  snapshotIntervalMs: 1000,
  groupCommitMs: 40,
  crossRoomCommit: true,
  maxHttpBufferSize: 16 * 1024,
  maxUnsentBytes: 1024 * 1024,
  commandsPerSecond: 20,
  resyncsPerMinute: 6,
  eventsPerSecond: 40,
  joinAttemptsPerMinute: 120,
  failedJoinsPerMinute: 20,
  addressAttemptsPerMinute: SCHOOL_BEHIND_ONE_ADDRESS,
  addressFailedJoinsPerMinute: 200,
  roomsPerMinute: 10,
  maxRooms: 200,
  roomsPerAddress: 10,
  connectionsPerAddress: SCHOOL_BEHIND_ONE_ADDRESS,
  logReadsPerMinute: 20,
  lobbyIdleTtlMs: 15 * 60 * 1000,
  maxLogCommands: 100_000,
  endedRoomTtlMs: 60 * 60 * 1000,
  idleRoomTtlMs: 6 * 60 * 60 * 1000,
  gameRetentionDays: 400,
  allowedOrigins: [],
  projectorRows: 10,
  trustProxy: false,
  balancer: null,
  cluster: null,
};

/**
 * A lease short enough for the 2-second failover target (a dead owner's lease lapses 1.0-1.2 s after the
 * kill, leaving the rest for the claim, the rebuild and the first tick), renewed six times a lease, so
 * an owner rides out a stall of up to 1 s (GC, a checkpoint encode, a busy machine) before giving up.
 */
export const DEFAULT_LEASE_MS = 1200;

/** Both variables or neither: half a cluster configuration is a mistake worth stopping on. */
function clusterConfig(env: Env): ClusterConfig | null {
  const redisUrl = env.REDIS_URL ?? '';
  const databaseUrl = env.DATABASE_URL ?? '';
  if (redisUrl === '' && databaseUrl === '') return null;
  if (redisUrl === '' || databaseUrl === '')
    throw new Error(
      `cluster mode needs both REDIS_URL and DATABASE_URL; only ${redisUrl === '' ? 'DATABASE_URL' : 'REDIS_URL'} is set`,
    );
  if (!/^rediss?:\/\//.test(redisUrl))
    throw new Error(`REDIS_URL must start with redis://, got "${redisUrl}"`);
  if (!/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error(`DATABASE_URL must start with postgres://, got "${databaseUrl}"`);
  const nodeId = env.NODE_ID ?? `${os.hostname()}-${process.pid}`;
  if (nodeId === '' || nodeId.includes('|'))
    throw new Error(`NODE_ID may not be empty or contain "|": "${nodeId}"`);
  return {
    redisUrl,
    databaseUrl,
    leaseMs: int(env, 'LEASE_MS', DEFAULT_LEASE_MS, 200),
    nodeId,
    keyPrefix: env.KEY_PREFIX ?? 'lemonscale:',
  };
}

type Env = Record<string, string | undefined>;

/**
 * GAME_RETENTION_DAYS: a whole number of days (1 or more), or 0 / keep: forever. Whole days only: a
 * retention is a promise to teachers, said in days; a fraction would read like a typo.
 */
function retentionDays(env: Env, fallback: number | null): number | null {
  const raw = (env.GAME_RETENTION_DAYS ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'keep') return null;
  const days = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(days))
    throw new Error(
      `GAME_RETENTION_DAYS must be a whole number of days (1 or more), or 0 or keep to keep games forever; got "${env.GAME_RETENTION_DAYS}"`,
    );
  return days === 0 ? null : days;
}

/** Both variables or neither, as for the cluster's: a balancer's host without its port says nothing usable. */
function balancerAddress(env: Env): ListenAddress | null {
  const host = env.BALANCER_HOST ?? '';
  const port = env.BALANCER_PORT ?? '';
  if (host === '' && port === '') return null;
  if (host === '' || port === '')
    throw new Error(
      `BALANCER_HOST and BALANCER_PORT go together; only ${host === '' ? 'BALANCER_PORT' : 'BALANCER_HOST'} is set`,
    );
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    throw new Error(`BALANCER_PORT must be a port from 1 to 65535, got "${port}"`);
  return { host, port: Number(port) };
}

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
  const synchronous = (env.SQLITE_SYNCHRONOUS || d.sqliteSynchronous).toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL')
    throw new Error(`SQLITE_SYNCHRONOUS must be FULL or NORMAL, got "${synchronous}"`);
  const maxRooms = int(env, 'MAX_ROOMS', d.maxRooms, 2);
  const roomsPerAddress = int(env, 'ROOMS_PER_ADDRESS', Math.min(d.roomsPerAddress, maxRooms - 1), 1);
  if (roomsPerAddress >= maxRooms)
    throw new Error(
      `ROOMS_PER_ADDRESS (${roomsPerAddress}) must be less than MAX_ROOMS (${maxRooms}), or one address could take every room`,
    );
  return {
    port: int(env, 'PORT', d.port),
    host: env.HOST || d.host,
    dataDir: path.resolve(env.DATA_DIR || d.dataDir),
    store,
    sqliteSynchronous: synchronous,
    dev: argv.includes('--dev'),
    clientDir: path.resolve(env.CLIENT_DIR || d.clientDir),
    logLevel: env.LOG_LEVEL || d.logLevel,
    logFile: env.LOG_FILE ? path.resolve(env.LOG_FILE) : d.logFile,
    tickIntervalMs: int(env, 'TICK_INTERVAL_MS', d.tickIntervalMs, 0.01),
    studentViewIntervalMs: int(env, 'STUDENT_VIEW_INTERVAL_MS', d.studentViewIntervalMs, 10),
    classViewIntervalMs: int(env, 'CLASS_VIEW_INTERVAL_MS', d.classViewIntervalMs, 50),
    snapshotIntervalMs: int(env, 'SNAPSHOT_INTERVAL_MS', d.snapshotIntervalMs, 50),
    groupCommitMs: int(env, 'GROUP_COMMIT_MS', d.groupCommitMs, 0),
    crossRoomCommit: env.CROSS_ROOM_COMMIT === undefined ? d.crossRoomCommit : env.CROSS_ROOM_COMMIT !== '0',
    maxHttpBufferSize: int(env, 'MAX_MESSAGE_BYTES', d.maxHttpBufferSize, 1024),
    maxUnsentBytes: int(env, 'MAX_UNSENT_BYTES', d.maxUnsentBytes, 16 * 1024),
    commandsPerSecond: int(env, 'COMMANDS_PER_SECOND', d.commandsPerSecond, 1),
    resyncsPerMinute: int(env, 'RESYNCS_PER_MINUTE', d.resyncsPerMinute, 1),
    eventsPerSecond: int(env, 'EVENTS_PER_SECOND', d.eventsPerSecond, 1),
    joinAttemptsPerMinute: int(env, 'JOIN_ATTEMPTS_PER_MINUTE', d.joinAttemptsPerMinute, 1),
    failedJoinsPerMinute: int(env, 'FAILED_JOINS_PER_MINUTE', d.failedJoinsPerMinute, 1),
    addressAttemptsPerMinute: int(env, 'ADDRESS_ATTEMPTS_PER_MINUTE', d.addressAttemptsPerMinute, 1),
    addressFailedJoinsPerMinute: int(
      env,
      'ADDRESS_FAILED_JOINS_PER_MINUTE',
      d.addressFailedJoinsPerMinute,
      1,
    ),
    roomsPerMinute: int(env, 'ROOMS_PER_MINUTE', d.roomsPerMinute, 1),
    maxRooms,
    roomsPerAddress,
    connectionsPerAddress: int(env, 'CONNECTIONS_PER_ADDRESS', d.connectionsPerAddress, 1),
    logReadsPerMinute: int(env, 'LOG_READS_PER_MINUTE', d.logReadsPerMinute, 1),
    lobbyIdleTtlMs: int(env, 'LOBBY_IDLE_TTL_MS', d.lobbyIdleTtlMs, 1000),
    maxLogCommands: int(env, 'MAX_LOG_COMMANDS', d.maxLogCommands, 100),
    endedRoomTtlMs: int(env, 'ENDED_ROOM_TTL_MS', d.endedRoomTtlMs, 1000),
    idleRoomTtlMs: int(env, 'IDLE_ROOM_TTL_MS', d.idleRoomTtlMs, 1000),
    gameRetentionDays: retentionDays(env, d.gameRetentionDays),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    projectorRows: int(env, 'PROJECTOR_ROWS', d.projectorRows, 1),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    balancer: balancerAddress(env),
    cluster: clusterConfig(env),
  };
}
