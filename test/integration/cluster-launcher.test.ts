import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { startCluster, type RunningCluster } from '../../server/cluster/launcher.ts';
import { freePorts } from './free-ports.ts';
import { haproxyInstalled } from './cluster-services.ts';

/** Whether HAProxy is installed (.ci/services installs it; a developer machine may lack it). */
const HAVE_HAPROXY = haproxyInstalled();
if (!HAVE_HAPROXY)
  console.warn('cluster-launcher.test.ts skipped: haproxy is not installed (.ci/services installs it)');

const STAND_IN = ['--import', 'tsx', path.resolve(import.meta.dirname, 'cluster-stand-in-node.ts')];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until a connection through the balancer reaches the process called `node`. Until the balancer's
 * health check has seen a death, a connection may still go to the dead process: that try counts as a miss.
 */
async function reaches(url: string, node: string): Promise<void> {
  await expect
    .poll(async () => (await whoami(url).catch(() => null))?.node, { timeout: 20_000, interval: 50 })
    .toBe(node);
}

/** Whether a server may listen on 127.0.0.1:port now (nothing left holding it). */
async function portFree(port: number): Promise<boolean> {
  const srv = net.createServer();
  const ok = await new Promise<boolean>((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise((r) => srv.close(r));
  return ok;
}

async function whoami(url: string): Promise<{ node: string; pid: number; forwardedFor: string | null }> {
  const s: Socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    return (await s.timeout(5000).emitWithAck('whoami')) as {
      node: string;
      pid: number;
      forwardedFor: string;
    };
  } finally {
    s.disconnect();
  }
}

describe.skipIf(!HAVE_HAPROXY)('npm run cluster: processes behind HAProxy', () => {
  let cluster: RunningCluster | null = null;
  const lines: string[] = [];
  // After each test, so one that failed half-way leaves nothing running under the next.
  afterEach(async () => {
    await cluster?.stop();
    cluster = null;
  });

  it('starts N processes and HAProxy, round-robins websockets over them, survives a killed process, and stops them all', async () => {
    // Ports found free now (not fixed numbers another test or program may hold).
    const [port, ...nodePorts] = await freePorts(4);
    cluster = await startCluster({
      nodes: 3,
      port: port!,
      nodePorts,
      host: '127.0.0.1',
      entry: STAND_IN,
      print: (l) => lines.push(l),
    });
    expect(cluster.url).toBe(`http://127.0.0.1:${port}`);

    // Six websocket connections in a row through the one port: round-robin gives every process some.
    const reached = [];
    for (let i = 0; i < 6; i++) reached.push(await whoami(cluster.url));
    expect(new Set(reached.map((r) => r.node))).toEqual(new Set(['node1', 'node2', 'node3']));
    // The balancer tells the process who the client is (the processes believe it with TRUST_PROXY).
    expect(reached[0]!.forwardedFor).toBe('127.0.0.1');
    // Each process's output comes out prefixed with its name.
    expect(lines.some((l) => l.startsWith('[node2] stand-in node2 listening'))).toBe(true);

    // kill -9 one process: every new connection still gets through, to the two that are left.
    const victim = cluster.nodes[1]!;
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    const after = [];
    for (let i = 0; i < 6; i++) after.push(await whoami(cluster.url));
    expect(new Set(after.map((r) => r.node))).toEqual(new Set(['node1', 'node3']));
    expect(lines).toContain('[cluster] node2 exited (SIGKILL)');

    // Started again in its slot (under a new NODE_ID: the dead one's leases still name it), it takes
    // connections again once a health check has seen it (500 ms).
    await cluster.restart('node2');
    await reaches(cluster.url, 'node2-2');

    // Stopping leaves nothing behind.
    const pids = [...cluster.nodes.map((n) => n.child.pid!), cluster.balancer.pid!];
    await cluster.stop();
    cluster = null;
    expect(pids.filter(alive)).toEqual([]);
  });

  it('with a restart policy (npm run cluster), starts a process that died again, waiting longer while it keeps dying', async () => {
    const [port, ...nodePorts] = await freePorts(3);
    const said: string[] = [];
    cluster = await startCluster({
      nodes: 2,
      port: port!,
      nodePorts,
      host: '127.0.0.1',
      entry: STAND_IN,
      print: (l) => said.push(l),
      // Short waits for the test; a process that ran a minute would count as healthy again.
      restart: { firstDelayMs: 100, maxDelayMs: 300, healthyAfterMs: 60_000 },
    });
    const waits: string[] = [];
    for (let n = 2; n <= 4; n++) {
      const victim = cluster.nodes[1]!;
      victim.child.kill('SIGKILL');
      // Back under the slot's next NODE_ID (node2-2, node2-3, …), reached through the balancer.
      await reaches(cluster.url, `node2-${n}`);
      const back = `[cluster] node2 is back (pid ${cluster.nodes[1]!.child.pid})`;
      await expect.poll(() => said).toContain(back);
      waits.push(said.filter((l) => l.startsWith('[cluster] node2 exited (SIGKILL)')).at(-1)!);
    }
    // Each death within a minute of the last start doubles the wait, up to the policy's longest.
    expect(waits).toEqual([
      '[cluster] node2 exited (SIGKILL); starting it again in 0.1 s',
      '[cluster] node2 exited (SIGKILL); starting it again in 0.2 s',
      '[cluster] node2 exited (SIGKILL); starting it again in 0.3 s',
    ]);
    // The other process was never touched.
    expect(said.some((l) => l.startsWith('[cluster] node1 exited'))).toBe(false);
    const pids = [...cluster.nodes.map((n) => n.child.pid!), cluster.balancer.pid!];
    await cluster.stop();
    cluster = null;
    expect(pids.filter(alive)).toEqual([]);
  });

  it('kills a restarted process that has not listened within the start timeout, says so, and tries its slot again', async () => {
    const [port, ...nodePorts] = await freePorts(3);
    const said: string[] = [];
    cluster = await startCluster({
      nodes: 2,
      port: port!,
      nodePorts,
      host: '127.0.0.1',
      entry: STAND_IN,
      // node2's second process hangs before it listens; its third starts well.
      env: { STAND_IN_HANG: 'node2-2' },
      print: (l) => said.push(l),
      restart: { firstDelayMs: 100, maxDelayMs: 300, healthyAfterMs: 60_000 },
      // Room for a stand-in to start on a busy machine, without the launcher's 120 s.
      startTimeoutMs: 8000,
    });
    const first = cluster.nodes[1]!.child;
    first.kill('SIGKILL');
    await expect.poll(() => cluster!.nodes[1]!.child, { timeout: 10_000 }).not.toBe(first);
    const hung = cluster.nodes[1]!.child;
    // Killed at the timeout (it held its port), and its slot started again after the next wait.
    await expect
      .poll(() => said.filter((l) => l.startsWith('[cluster]')), { timeout: 30_000 })
      .toHaveLength(4);
    expect(alive(hung.pid!)).toBe(false);
    expect(said.filter((l) => l.startsWith('[cluster]'))).toEqual([
      '[cluster] node2 exited (SIGKILL); starting it again in 0.1 s',
      '[cluster] node2 did not start within 8 s (it said: stand-in node2-2 waits forever before listening): killing it',
      '[cluster] node2 exited (SIGKILL: stand-in node2-2 waits forever before listening); starting it again in 0.2 s',
      `[cluster] node2 is back (pid ${cluster.nodes[1]!.child.pid})`,
    ]);
    await cluster.stop();
    cluster = null;
  });

  it('refuses a start timeout that is not a positive number, starting nothing', async () => {
    await expect(startCluster({ nodes: 1, port: 1, entry: STAND_IN, startTimeoutMs: 0 })).rejects.toThrow(
      'startTimeoutMs must be a positive number of milliseconds, not 0',
    );
  });

  it('fails the start, naming the process and its cause, when one dies after it listens but before the cluster is up', async () => {
    const [port, ...nodePorts] = await freePorts(3);
    const said: string[] = [];
    const failure = await startCluster({
      nodes: 2,
      port: port!,
      nodePorts,
      host: '127.0.0.1',
      entry: STAND_IN,
      // node2 says it listens, then dies at once: while the launcher still waits for HAProxy.
      env: { STAND_IN_DIE_AFTER_LISTEN: 'node2' },
      print: (l) => said.push(l),
      // As `npm run cluster` runs it: even with a restart policy, a death while starting fails the start.
      restart: { firstDelayMs: 100, maxDelayMs: 300, healthyAfterMs: 60_000 },
    }).then(
      (c) => {
        cluster = c; // started with a dead process: stopped by afterEach
        return null;
      },
      (e: unknown) => e as Error,
    );
    expect(failure?.message).toBe(
      'node2 exited while the cluster was starting (status 3: Error: stand-in lost its database)',
    );
    expect(said.some((l) => l.startsWith('[node2] stand-in node2 listening'))).toBe(true);
    // What had started (node1, HAProxy) was stopped with it: their ports are free again.
    expect(await portFree(nodePorts[0]!)).toBe(true);
    expect(await portFree(port!)).toBe(true);
  });
});
