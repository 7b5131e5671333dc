import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * A Redis and a PostgreSQL of a test's own, on ports of its own, for the tests that restart them: the
 * shared servers (cluster-services.ts) are never stopped. PostgreSQL runs as a throwaway cluster in a
 * temporary folder (initdb), as the `postgres` user when the tests run as root (PostgreSQL refuses root).
 */

export const PRIVATE_REDIS_PORT = Number(process.env.TEST_PRIVATE_REDIS_PORT ?? 43150);
export const PRIVATE_PG_PORT = Number(process.env.TEST_PRIVATE_PG_PORT ?? 43151);

const PG_BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  /** SIGKILL: it keeps nothing (started with --save ''), as after a crash. */
  kill(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`${what} did not come up`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function privateRedis(port = PRIVATE_REDIS_PORT): PrivateRedis {
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      // The port may be taken for a moment by an outgoing connection's ephemeral port: a redis-server
      // that could not bind exits, and another is started.
      const spawnOne = (): void => {
        const c = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        c.stdout!.on('data', (d: Buffer) => (said += d.toString()));
        c.stderr!.on('data', (d: Buffer) => (said += d.toString()));
        child = c;
        c.once('exit', () => {
          if (child === c && !up) setTimeout(spawnOne, 100);
        });
      };
      let up = false;
      let said = '';
      spawnOne();
      await waitFor(async () => {
        const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        r.on('error', () => undefined);
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } finally {
          r.disconnect();
        }
      }, `redis-server on ${port}`).catch((e: Error) => {
        throw new Error(`${e.message}: ${said.slice(-2000)}`);
      });
      up = true;
    },
    async kill() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
}

export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  /** pg_ctl stop -m immediate: connections are cut as in a crash. */
  stop(): void;
  /** Stops it and removes its folder. */
  destroy(): void;
}

/** A reason (a string) instead when this machine cannot run a private PostgreSQL. */
export function privatePostgres(port = PRIVATE_PG_PORT): PrivatePostgres | string {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) return `no PostgreSQL binaries in ${PG_BIN}`;
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-pg-'));
  const as = (cmd: string, args: string[]): void => {
    if (root)
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, cmd), ...args], { stdio: 'ignore' });
    else execFileSync(path.join(PG_BIN, cmd), args, { stdio: 'ignore' });
  };
  try {
    if (root) execFileSync('chown', ['postgres', dir]);
    as('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-N']);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `initdb failed (${e instanceof Error ? e.message : String(e)})`;
  }
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = (): void => as('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']);
  return {
    url,
    async start() {
      as('pg_ctl', ['-D', dir, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
    },
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // not running
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
