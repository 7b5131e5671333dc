import { loadConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { startServer } from './server.ts';
import { lanAddresses } from './http/lan-addresses.ts';
import { installProcessGuard } from './process-guard.ts';

/** Entry point: configuration from the environment, the store, recovered rooms, then listen. */
const config = loadConfig();
const logger = createLogger(config.logLevel);
installProcessGuard(logger);
const server = await startServer(config, { logger });

logger.info({ port: server.port, store: config.store, dataDir: config.dataDir }, 'listening');
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
