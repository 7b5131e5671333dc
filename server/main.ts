import { loadConfig, type ServerConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { startServer, type RunningServer } from './server.ts';
import { StoreOpenError, StoreWriteError } from './storage/store-errors.ts';
import { lanAddresses } from './http/lan-addresses.ts';
import { installProcessGuard } from './process-guard.ts';
import { openClusterStorage } from './cluster/cluster-storage.ts';

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
let server: RunningServer;
if (config.cluster) {
  // Cluster mode (docs/cluster.md): the shared store is prepared (schema migrated, Redis reached), then
  // this process serves rooms like any other process of the cluster.
  let storage;
  try {
    storage = await openClusterStorage(config.cluster);
  } catch (e) {
    fail(e);
  }
  logger.info({ migrated: storage.migrated, node: config.cluster.nodeId }, 'cluster storage ready');
  console.log(
    `Cluster storage ready (migrations applied now: ${storage.migrated.join(', ') || 'none'}); node ${config.cluster.nodeId}`,
  );
  server = await startServer(config, { logger, cluster: storage });
} else {
  try {
    server = await startServer(config, { logger });
  } catch (e) {
    if (e instanceof StoreOpenError) fail(e);
    // Recovery writes (closing damaged games, saving rooms) on a disk that is full or gone.
    if (e instanceof StoreWriteError)
      fail(new Error(`${e.message}. Free some space or fix DATA_DIR, then start again.`));
    throw e;
  }
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
// Plain lines for people (and for tests, which read the port from the first one).
console.log(`Lemonscale server listening on ${server.url}`);
if (config.host === '0.0.0.0' || config.host === '::')
  for (const ip of lanAddresses()) console.log(`  on your network: http://${ip}:${server.port}`);

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
