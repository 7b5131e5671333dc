import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { haproxyConfig } from './haproxy-config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The server as `npm start` runs it: scripts/build-server.mjs's output (`npm run build` makes it). */
export const BUILT_SERVER = path.join(ROOT, 'dist/server/main.js');

export interface ClusterOptions {
  /** How many server processes. */
  nodes: number;
  /** The balancer's port: the one address students and teachers use. */
  port: number;
  /** Where the balancer listens (default every interface, like a single server). */
  host?: string;
  /** The processes listen on 127.0.0.1 at basePort + 1 … basePort + nodes (default: the balancer's port). */
  basePort?: number;
  /** The processes' ports, one per process, instead of basePort + 1 … (tests give ports found free). */
  nodePorts?: number[];
  /** More environment for every process (REDIS_URL, DATABASE_URL, LEASE_MS, …). */
  env?: Record<string, string>;
  /**
   * What a process runs, as node arguments (default: the built server, BUILT_SERVER, as `npm start` runs
   * it). Tests give their own build, or a stand-in.
   */
  entry?: string[];
  /** Where the processes' and the balancer's output goes, one prefixed line at a time. */
  print?: (line: string) => void;
  /** HAProxy's executable. */
  haproxy?: string;
}

export interface ClusterNode {
  name: string;
  port: number;
  /** The running process (replaced by restart()). */
  child: ChildProcess;
}

export interface RunningCluster {
  /** The balancer's address. */
  url: string;
  nodes: ClusterNode[];
  balancer: ChildProcess;
  /** Starts a process again in its slot (after it died or was killed), same name and port. */
  restart(name: string): Promise<ClusterNode>;
  /** SIGTERM to every process and the balancer; SIGKILL to what has not exited 5 s later. */
  stop(): Promise<void>;
}

function prefixed(stream: NodeJS.ReadableStream | null, tag: string, print: (line: string) => void): void {
  if (!stream) return;
  readline.createInterface({ input: stream }).on('line', (line) => print(`[${tag}] ${line}`));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** Resolves when the process prints that it listens; rejects if it exits first or takes over 120 s. */
function listening(child: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/listening on http/.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited while starting (${signal ?? code})`));
    });
  });
}

async function balancerAnswers(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the balancer at ${url} did not answer /health`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts N server processes on 127.0.0.1 and HAProxy in front of them on one port, round-robin with
 * websockets passed through (deploy/haproxy.cfg). Every line the processes print is prefixed with the
 * process's name. A process that dies is reported and left dead (the others take over its rooms); the
 * caller may restart() it. If anything fails while starting, everything started so far is stopped.
 */
export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new Error('--nodes must be a whole number ≥ 1');
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const basePort = opts.basePort ?? opts.port;
  const entry = opts.entry ?? ['--enable-source-maps', BUILT_SERVER];
  if (opts.nodePorts && opts.nodePorts.length !== opts.nodes)
    throw new Error(`nodePorts has ${opts.nodePorts.length} ports for ${opts.nodes} processes`);
  const slots = Array.from({ length: opts.nodes }, (_, i) => ({
    name: `node${i + 1}`,
    port: opts.nodePorts?.[i] ?? basePort + i + 1,
  }));
  const children = new Set<ChildProcess>();
  let stopping = false;

  const starts = new Map<string, number>();
  const spawnNode = (slot: { name: string; port: number }): ClusterNode => {
    // A process started again in a slot gets a new NODE_ID (node2-2): the dead one's leases still name
    // it until they expire, and a request meant for the dead owner must not reach the new process.
    const n = (starts.get(slot.name) ?? 0) + 1;
    starts.set(slot.name, n);
    const child = spawn(process.execPath, entry, {
      cwd: ROOT,
      env: {
        ...process.env,
        ...opts.env,
        PORT: String(slot.port),
        HOST: '127.0.0.1',
        NODE_ID: n === 1 ? slot.name : `${slot.name}-${n}`,
        TRUST_PROXY: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    prefixed(child.stdout, slot.name, print);
    prefixed(child.stderr, slot.name, print);
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (!stopping) print(`[cluster] ${slot.name} exited (${signal ?? `status ${code}`})`);
    });
    return { ...slot, child };
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    const all = [...children];
    for (const c of all) if (!exited(c)) c.kill('SIGTERM');
    const done = await Promise.all(all.map((c) => waitExit(c, 5000)));
    all.forEach((c, i) => {
      if (!done[i]) c.kill('SIGKILL');
    });
    await Promise.all(all.map((c) => waitExit(c, 5000)));
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lemonscale-cluster-'));
  try {
    const nodes = slots.map(spawnNode);
    await Promise.all(nodes.map((n) => listening(n.child, n.name)));

    const cfgFile = path.join(dir, 'haproxy.cfg');
    const bindHost = opts.host ?? '0.0.0.0';
    fs.writeFileSync(
      cfgFile,
      haproxyConfig(
        { host: bindHost, port: opts.port },
        slots.map((s) => ({ ...s, host: '127.0.0.1' })),
      ),
    );
    const balancer = spawn(opts.haproxy ?? 'haproxy', ['-db', '-f', cfgFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(balancer);
    const said: string[] = [];
    const keep = (line: string): void => {
      said.push(line);
      if (said.length > 10) said.shift();
      print(line);
    };
    prefixed(balancer.stdout, 'haproxy', keep);
    prefixed(balancer.stderr, 'haproxy', keep);
    const failed = new Promise<never>((_, reject) => {
      balancer.once('error', (e) =>
        reject(new Error(`HAProxy could not start (${e.message}); install it: apt-get install -y haproxy`)),
      );
      balancer.once('exit', (code) => {
        children.delete(balancer);
        if (!stopping) reject(new Error(`HAProxy exited (status ${code}): ${said.slice(-3).join(' | ')}`));
      });
    });
    failed.catch(() => undefined);
    const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
    const url = `http://${shownHost}:${opts.port}`;
    await Promise.race([balancerAnswers(url, 15_000), failed]);

    return {
      url,
      nodes,
      balancer,
      async restart(name) {
        const i = nodes.findIndex((n) => n.name === name);
        if (i < 0) throw new Error(`no process ${name}`);
        if (!exited(nodes[i]!.child)) throw new Error(`${name} is still running`);
        const n = spawnNode(slots[i]!);
        nodes[i] = n;
        await listening(n.child, n.name);
        return n;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
