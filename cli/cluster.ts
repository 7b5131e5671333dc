/**
 * Cluster mode on one machine: N server processes on Redis and PostgreSQL, HAProxy in front on one port.
 *   npm run cluster -- [--nodes 3] [--port 3000]
 * A process that dies is started again (after 1 s, longer while it keeps dying: RESTART_POLICY).
 * Ctrl-C (or SIGTERM) stops every process and the balancer.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { BUILT_SERVER, startCluster, type RunningCluster } from '../server/cluster/launcher.ts';
import { RESTART_POLICY } from '../server/cluster/restart-backoff.ts';
import { serviceAddress } from '../server/cluster/service-address.ts';
import { UsageError, runCli } from './usage-error.ts';

const USAGE = `usage: npm run cluster -- [--nodes N] [--port P]
  --nodes   server processes behind the balancer (default 3)
  --port    the balancer's port, the one students and teachers open (default 3000);
            the processes listen on 127.0.0.1 at P+1 … P+N
  A process that dies is started again after 1 s (2, 4, … up to 30 s while it keeps dying).
  REDIS_URL and DATABASE_URL say where the shared parts are (default: redis://127.0.0.1:6379 and
  postgres://postgres@127.0.0.1:5432/test, the local services .ci/services starts).`;

function positive(name: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, not "${text}"\n${USAGE}`);
  return Number(text);
}

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        nodes: { type: 'string', default: '3' },
        port: { type: 'string', default: process.env.PORT ?? '3000' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const nodes = positive('nodes', values.nodes, 64);
  const port = positive('port', values.port, 65535 - nodes);
  const env = {
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  };

  let cluster: RunningCluster | null = null;
  let stopping = false;
  const stopAll = (why: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[cluster] ${why}: stopping every process and the balancer`);
    // Still starting: startCluster's end (below) stops what it started.
    if (cluster) void cluster.stop().then(() => process.exit(0));
  };
  // A terminal's Ctrl-C reaches the children too (same process group); SIGTERM reaches only us, so it is
  // passed on. Either way we wait for every child to exit before we do: no orphans.
  process.on('SIGINT', () => stopAll('Ctrl-C'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));

  // Where, never a password DATABASE_URL or REDIS_URL may hold.
  console.log(
    `[cluster] starting ${nodes} processes on ${serviceAddress(env.REDIS_URL)} and ${serviceAddress(env.DATABASE_URL)}`,
  );
  let started: RunningCluster;
  try {
    // The processes run the server as `npm start` does: built JavaScript (npm run cluster builds it first).
    if (!fs.existsSync(BUILT_SERVER))
      throw new Error(`${BUILT_SERVER} is missing: run \`npm run build\` first`);
    started = await startCluster({ nodes, port, env, restart: RESTART_POLICY });
  } catch (e) {
    // Everything started so far is already stopped; one line says why (the processes' own lines are above).
    console.error(`[cluster] cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  if (stopping) {
    await started.stop();
    process.exit(0);
  }
  cluster = started;
  console.log(`[cluster] ready: open ${cluster.url} (HAProxy, round-robin over ${nodes} processes)`);
  // The addresses the join link and QR code give students (GET /api/info answers the same).
  for (const url of cluster.studentUrls) console.log(`[cluster]   on your network: ${url}`);
  for (const n of cluster.nodes)
    console.log(`[cluster]   ${n.name}: 127.0.0.1:${n.port} (pid ${n.child.pid})`);
  console.log('[cluster] Ctrl-C stops them all');
});
