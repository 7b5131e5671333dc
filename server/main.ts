import { loadConfig, type ServerConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { startServer, type RunningServer } from './server.ts';
import { StoreOpenError, StoreWriteError } from './storage/store-errors.ts';
import { studentUrls } from './http/student-urls.ts';
import { ListenError } from './http/listen-failure.ts';
import { installProcessGuard } from './process-guard.ts';
import { openClusterStorage, type ClusterStorage } from './cluster/cluster-storage.ts';

/**
 * A start that cannot succeed (a bad setting, a store file that cannot be used) ends with one line that
 * says what and what to do, and exit status 1: no stack trace for an operator to read through.
 */
function fail(e: unknown): never {
  console.error(`Lemonscale cannot start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

/** Entry point: configuration from the environment, the store, recovered rooms, then listen. */
let config: ServerConfig;
try {
  config = loadConfig();
} catch (e) {
  fail(e);
}
const logger = createLogger(config.logLevel, config.logFile);
installProcessGuard(logger);
let storage: ClusterStorage | undefined;
if (config.cluster) {
  // Cluster mode (docs/cluster.md): the shared store is prepared (schema migrated, Redis reached), then
  // this process serves rooms like any other process of the cluster.
  try {
    storage = await openClusterStorage(config.cluster);
  } catch (e) {
    fail(e);
  }
  logger.info({ migrated: storage.migrated, node: config.cluster.nodeId }, 'cluster storage ready');
  console.log(
    `Cluster storage ready (migrations applied now: ${storage.migrated.join(', ') || 'none'}); node ${config.cluster.nodeId}`,
  );
}
let server: RunningServer;
try {
  server = await startServer(config, storage ? { logger, cluster: storage } : { logger });
} catch (e) {
  // Recovery writes (closing damaged games, saving rooms) on a disk that is full or gone; in a cluster,
  // the PostgreSQL server's (its own disk, not this machine's DATA_DIR).
  if (e instanceof StoreWriteError)
    fail(
      new Error(
        config.cluster
          ? `${e.message}. Check the PostgreSQL server (its disk, DATABASE_URL), then start again.`
          : `${e.message}. Free some space or fix DATA_DIR, then start again.`,
      ),
    );
  // Anything else (the port taken, a store file that cannot be used, a fault): a process that is not
  // listening must not linger as if it were (the process guard would log the rejection and keep it
  // alive, holding Redis and PostgreSQL connections). It ends now, status 1, its cause on stderr, for
  // `npm run cluster` or any supervisor to see; an unexpected error's stack goes to the log first.
  if (!(e instanceof StoreOpenError) && !(e instanceof ListenError)) logger.fatal({ err: e }, 'start failed');
  fail(e);
}

// A cluster process keeps nothing on its own disk: its store is PostgreSQL, not DATA_DIR's SQLite file.
// How long games are kept is said at every start (null: forever), so an operator sees it before a sweep.
const retentionDays = config.gameRetentionDays;
logger.info(
  config.cluster
    ? { port: server.port, store: 'postgresql', node: config.cluster.nodeId, retentionDays }
    : { port: server.port, store: config.store, dataDir: config.dataDir, retentionDays },
  'listening',
);
// Plain lines for people (and for tests, which read the port from the first one). Behind a balancer
// (`npm run cluster`) students use the balancer's addresses, which the launcher prints once for all.
console.log(`Lemonscale server listening on ${server.url}`);
if (!config.balancer)
  for (const url of studentUrls({ host: config.host, port: server.port }))
    if (url !== server.url) console.log(`  on your network: ${url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
