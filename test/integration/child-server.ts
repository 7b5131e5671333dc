import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `node` arguments that run the server as `npm start` runs dist/server/main.js: this run's build
 * (test/build-server-once.ts, vitest's global setup).
 */
export function serverArgs(): string[] {
  const built = inject('builtServer');
  if (!built) throw new Error('no server build: vitest.config.ts runs test/build-server-once.ts first');
  return ['--enable-source-maps', built];
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  output: () => { stdout: string; stderr: string };
}

/** The server as its own process (serverArgs: the built server) on a SQLite data folder. */
export function startChild(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, serverArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LEMONSCALE_STORE: 'sqlite',
      LOG_LEVEL: 'warn',
      TICK_INTERVAL_MS: '20',
      SNAPSHOT_INTERVAL_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(stdout);
      if (m) resolve({ child, url: m[1]!, output: () => ({ stdout, stderr }) });
    });
    child.once('exit', (code) =>
      reject(Object.assign(new Error(`server exited (${code})`), { code, stdout, stderr })),
    );
  });
}

/** Waits until the process has printed something matching `pattern` (its logs are written asynchronously). */
export async function printed(srv: ChildServer, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = srv.output();
    if (pattern.test(stdout)) return stdout;
    if (Date.now() > until) throw new Error(`never printed ${pattern}: ${stdout}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a server that is expected to refuse to start; resolves with its exit code and output. */
export async function failedStart(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  try {
    const s = await startChild(dataDir, env);
    s.child.kill('SIGKILL');
    throw new Error(`the server started on ${dataDir}`);
  } catch (e) {
    const f = e as { code?: number | null; stdout?: string; stderr?: string };
    if (f.stdout === undefined) throw e;
    return { code: f.code ?? null, stdout: f.stdout, stderr: f.stderr ?? '' };
  }
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
