import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-ports.ts';

/**
 * A Redis and a PostgreSQL of a test's own, on ports of its own, for the tests that restart them: the
 * shared servers (cluster-services.ts) are never stopped. PostgreSQL runs as a throwaway cluster in a
 * temporary folder (initdb), as the `postgres` user when the tests run as root (PostgreSQL refuses root).
 */

/** Fixed ports only when asked for; otherwise each server takes a port found free when it first starts. */
const FIXED_REDIS_PORT = process.env.TEST_PRIVATE_REDIS_PORT
  ? Number(process.env.TEST_PRIVATE_REDIS_PORT)
  : null;
const FIXED_PG_PORT = process.env.TEST_PRIVATE_PG_PORT ? Number(process.env.TEST_PRIVATE_PG_PORT) : null;

const PG_BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** How long a private server may take to answer: generous, the whole suite may be running beside it. */
const READY_MS = 30_000;

export interface PrivateRedis {
  /** Its address; known once start() first returned (the port is chosen then). */
  readonly url: string;
  /** Starts it (again on the same port after kill()) and waits until it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: it keeps nothing (started with --save ''), as after a crash. */
  kill(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = READY_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`${what} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } finally {
    r.disconnect();
  }
}

export function privateRedis(fixedPort = FIXED_REDIS_PORT): PrivateRedis {
  let child: ChildProcess | null = null;
  let port: number | null = fixedPort;
  let everUp = false;
  return {
    get url() {
      if (port === null) throw new Error('the private redis-server has no port before its first start()');
      return `redis://127.0.0.1:${port}`;
    },
    async start() {
      // A port found free may be taken before redis-server binds it (by another test's server, or an
      // outgoing connection's ephemeral port): a redis-server that cannot bind exits, and another is
      // started, on a newly found port the first time, on the same port on a restart (its clients
      // already have the address).
      let up = false;
      let said = '';
      let tries = 0;
      const spawnOne = async (): Promise<void> => {
        tries++;
        if (port === null || (!everUp && tries > 1 && fixedPort === null)) port = await freePort();
        const c = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        c.stdout!.on('data', (d: Buffer) => (said += d.toString()));
        c.stderr!.on('data', (d: Buffer) => (said += d.toString()));
        c.once('error', (e) => (said += `\ncould not run redis-server: ${e.message}`));
        child = c;
        c.once('exit', (code, signal) => {
          said += `\n(redis-server exited: ${signal ?? `status ${code}`})`;
          if (child === c && !up && tries < 20) setTimeout(() => void spawnOne(), 100);
        });
      };
      await spawnOne();
      await waitFor(
        () => redisAnswers(`redis://127.0.0.1:${port}`),
        `private redis-server on port ${port} (${tries} tries)`,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; it said: ${said.slice(-2000)}`);
      });
      up = true;
      everUp = true;
    },
    async kill() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
}

export interface PrivatePostgres {
  /** Its address; known once start() first returned (the port is chosen then). */
  readonly url: string;
  /** Starts it (again on the same port after stop()) and waits until it accepts connections. */
  start(): Promise<void>;
  /** pg_ctl stop -m immediate: connections are cut as in a crash. */
  stop(): void;
  /** Stops it and removes its folder. */
  destroy(): void;
}

/** A reason (a string) instead when this machine cannot run a private PostgreSQL. */
export function privatePostgres(fixedPort = FIXED_PG_PORT): PrivatePostgres | string {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) return `no PostgreSQL binaries in ${PG_BIN}`;
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-pg-'));
  const as = (cmd: string, args: string[]): void => {
    if (root)
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, cmd), ...args], { stdio: 'pipe' });
    else execFileSync(path.join(PG_BIN, cmd), args, { stdio: 'pipe' });
  };
  try {
    if (root) execFileSync('chown', ['postgres', dir]);
    as('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-N']);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `initdb failed (${e instanceof Error ? e.message : String(e)})`;
  }
  let port: number | null = fixedPort;
  let everUp = false;
  const logFile = path.join(dir, 'log');
  const stop = (): void => as('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']);
  const tryStart = (): string | null => {
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    try {
      // -w: pg_ctl returns once the server accepts connections (or fails when it could not start).
      as('pg_ctl', ['-D', dir, '-o', opts, '-l', logFile, '-w', '-t', String(READY_MS / 1000), 'start']);
      return null;
    } catch (e) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-1500) : '(no log)';
      const out = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
      return `${out.trim()}; its log ends: ${log}`;
    }
  };
  return {
    get url() {
      if (port === null) throw new Error('the private PostgreSQL has no port before its first start()');
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    async start() {
      // The first start takes a port found free, and another if that one was taken meanwhile; a
      // restart keeps its port (the processes under test already have the address).
      let failed: string | null = null;
      for (let i = 0; i < (everUp || fixedPort !== null ? 1 : 5); i++) {
        if (port === null || (i > 0 && !everUp)) port = await freePort();
        failed = tryStart();
        if (failed === null) break;
      }
      if (failed !== null) throw new Error(`private PostgreSQL on port ${port} did not start: ${failed}`);
      everUp = true;
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
