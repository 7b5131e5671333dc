import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { haproxyConfig } from './haproxy-config.ts';
import { nextRestartDelay, type RestartPolicy } from './restart-backoff.ts';
import { ending, LastWords } from './last-words.ts';
import { studentUrls } from '../http/student-urls.ts';

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
  /**
   * Once the cluster is up, a process that dies is started again in its slot after a wait that grows
   * while it keeps dying (`npm run cluster` gives RESTART_POLICY). Null (the default): it is left dead,
   * the others take its rooms over, and the caller may restart() it (the tests kill processes on purpose).
   */
  restart?: RestartPolicy | null;
  /**
   * How long a process may take to say it listens (default 120 s: migrations on a slow database). One
   * that has not by then is killed, whenever it was started (tests give a few seconds).
   */
  startTimeoutMs?: number;
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
  /** Where students on the class network reach the balancer (the join link's; empty on 127.0.0.1). */
  studentUrls: string[];
  nodes: ClusterNode[];
  balancer: ChildProcess;
  /** Starts a process again in its slot (after it died or was killed), same name and port. */
  restart(name: string): Promise<ClusterNode>;
  /** SIGTERM to every process and the balancer; SIGKILL to what has not exited 5 s later. */
  stop(): Promise<void>;
}

function prefixed(
  stream: NodeJS.ReadableStream | null,
  tag: string,
  print: (line: string) => void,
  hear?: (line: string) => void,
): void {
  if (!stream) return;
  readline.createInterface({ input: stream }).on('line', (line) => {
    hear?.(line);
    print(`[${tag}] ${line}`);
  });
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

/** A process that had not said it listens when its start timeout came (it was killed). */
class StartTimedOut extends Error {}

/**
 * Resolves when the process prints that it listens; rejects, naming it and the cause it gave, when it
 * ends first (once its output is all read) or has not listened within `timeoutMs`. Then it is also
 * killed (SIGKILL): alive, it would hold its port, and its slot would never be started again.
 */
function listening(child: ChildProcess, name: string, words: LastWords, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      const cause = words.cause();
      reject(
        new StartTimedOut(
          `${name} did not start within ${timeoutMs / 1000} s${cause ? ` (it said: ${cause})` : ''}`,
        ),
      );
      child.kill('SIGKILL');
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/listening on http/.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not start (${ending(code, signal, words)})`));
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

/** One process's place in the cluster: its name and port, kept across restarts. */
interface Slot {
  name: string;
  port: number;
  /** How many times a process was started here (the NODE_ID of the nth is name-n). */
  starts: number;
  /** The running process, or the last one (dead) until the next start. */
  node: ClusterNode | null;
  words: LastWords;
  /** When its current process was started, and the wait before that start (null: none, not a restart). */
  startedAt: number;
  lastDelayMs: number | null;
  /** A restart waiting its turn. */
  pending: NodeJS.Timeout | null;
  /** Whether its current process has said it listens (known only while the cluster starts). */
  listened: boolean;
}

/**
 * Starts N server processes on 127.0.0.1 and HAProxy in front of them on one port, round-robin with
 * websockets passed through (deploy/haproxy.cfg). Every line the processes print is prefixed with the
 * process's name. If anything fails while starting (a process that exits, even after it listened, or has
 * not listened within the start timeout), everything started so far is stopped and the error says which
 * process and why. Once up, a process that dies is reported with its cause and, with opts.restart,
 * started again after a growing wait (one that hangs as it starts again is killed at the start timeout,
 * said, and tried again); without, left dead (the others take its rooms over) for the caller to
 * restart().
 */
export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new Error('--nodes must be a whole number ≥ 1');
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const basePort = opts.basePort ?? opts.port;
  const entry = opts.entry ?? ['--enable-source-maps', BUILT_SERVER];
  const bindHost = opts.host ?? '0.0.0.0';
  const startTimeoutMs = opts.startTimeoutMs ?? 120_000;
  if (!(startTimeoutMs > 0 && Number.isFinite(startTimeoutMs)))
    throw new Error(`startTimeoutMs must be a positive number of milliseconds, not ${opts.startTimeoutMs}`);
  if (opts.nodePorts && opts.nodePorts.length !== opts.nodes)
    throw new Error(`nodePorts has ${opts.nodePorts.length} ports for ${opts.nodes} processes`);
  const slots: Slot[] = Array.from({ length: opts.nodes }, (_, i) => ({
    name: `node${i + 1}`,
    port: opts.nodePorts?.[i] ?? basePort + i + 1,
    starts: 0,
    node: null,
    words: new LastWords(),
    startedAt: 0,
    lastDelayMs: null,
    pending: null,
    listened: false,
  }));
  const children = new Set<ChildProcess>();
  let stopping = false;
  // Set once the whole cluster is up: a process dying while it starts fails the start instead.
  let up = false;
  // A process that dies after it listened but before the cluster is up (while the others or HAProxy
  // start) fails the start, naming it and its cause, rather than being started again once up: the
  // operator is watching the start, a process dead within seconds most likely has a fault that kills it
  // again, and the start's rule is all or nothing (what `npm run cluster` prints as ready is running).
  // A promise, so a death is kept whichever step the start is awaiting when it comes.
  let failStart: (e: Error) => void = () => undefined;
  const diedWhileStarting = new Promise<never>((_, reject) => (failStart = reject));
  diedWhileStarting.catch(() => undefined);

  const spawnNode = (slot: Slot): ClusterNode => {
    // A process started again in a slot gets a new NODE_ID (node2-2): the dead one's leases still name
    // it until they expire, and a request meant for the dead owner must not reach the new process.
    slot.starts += 1;
    slot.words = new LastWords();
    slot.startedAt = Date.now();
    slot.listened = false;
    const words = slot.words;
    const child = spawn(process.execPath, entry, {
      cwd: ROOT,
      env: {
        ...process.env,
        ...opts.env,
        PORT: String(slot.port),
        HOST: '127.0.0.1',
        NODE_ID: slot.starts === 1 ? slot.name : `${slot.name}-${slot.starts}`,
        TRUST_PROXY: '1',
        // Students reach the balancer, not this process: its join links and QR codes say so.
        BALANCER_HOST: bindHost,
        BALANCER_PORT: String(opts.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    prefixed(child.stdout, slot.name, print, (line) => words.hearLog(line));
    prefixed(child.stderr, slot.name, print, (line) => words.hear(line));
    child.once('exit', () => children.delete(child));
    // 'close': its output is all read, so the cause it printed is known.
    child.once('close', (code, signal) => {
      if (stopping) return;
      const how = ending(code, signal, words);
      if (!up) {
        // One that never listened: listening()'s error names it and its cause, said once, there.
        if (slot.listened)
          failStart(new Error(`${slot.name} exited while the cluster was starting (${how})`));
        return;
      }
      if (!opts.restart) return void print(`[cluster] ${slot.name} exited (${how})`);
      const delay = nextRestartDelay(slot.lastDelayMs, Date.now() - slot.startedAt, opts.restart);
      print(`[cluster] ${slot.name} exited (${how}); starting it again in ${delay / 1000} s`);
      slot.pending = setTimeout(() => {
        slot.pending = null;
        slot.lastDelayMs = delay;
        const n = startIn(slot);
        listening(n.child, n.name, slot.words, startTimeoutMs).then(
          () => print(`[cluster] ${slot.name} is back (pid ${n.child.pid})`),
          (e: Error) => {
            // Hung: killed now; like one that ended, its 'close' above reports it and tries again.
            if (e instanceof StartTimedOut) print(`[cluster] ${e.message}: killing it`);
          },
        );
      }, delay);
    });
    return { name: slot.name, port: slot.port, child };
  };
  const startIn = (slot: Slot): ClusterNode => {
    const n = spawnNode(slot);
    slot.node = n;
    nodes[slots.indexOf(slot)] = n;
    return n;
  };
  const nodes: ClusterNode[] = [];

  const stop = async (): Promise<void> => {
    stopping = true;
    for (const slot of slots) if (slot.pending) clearTimeout(slot.pending);
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
    // The first process that cannot start fails the whole start at once (the others are stopped below).
    await Promise.race([
      Promise.all(
        slots.map((slot) =>
          listening(startIn(slot).child, slot.name, slot.words, startTimeoutMs).then(() => {
            slot.listened = true;
          }),
        ),
      ),
      diedWhileStarting,
    ]);

    const cfgFile = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(
      cfgFile,
      haproxyConfig(
        { host: bindHost, port: opts.port },
        slots.map((s) => ({ name: s.name, port: s.port, host: '127.0.0.1' })),
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
    await Promise.race([balancerAnswers(url, 15_000), failed, diedWhileStarting]);
    up = true;

    return {
      url,
      studentUrls: studentUrls({ host: bindHost, port: opts.port }),
      nodes,
      balancer,
      async restart(name) {
        const slot = slots.find((s) => s.name === name);
        if (!slot) throw new Error(`no process ${name}`);
        if (slot.node && !exited(slot.node.child)) throw new Error(`${name} is still running`);
        // Now rather than after the wait a supervised restart was given.
        if (slot.pending) clearTimeout(slot.pending);
        slot.pending = null;
        const n = startIn(slot);
        await listening(n.child, n.name, slot.words, startTimeoutMs);
        return n;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
