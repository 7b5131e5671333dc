import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../server/cluster/launcher.ts';
import { lanAddresses } from '../../server/http/lan-addresses.ts';
import { haproxyInstalled, testServices, TEST_REDIS_URL, type TestServices } from './cluster-services.ts';
import { freePort, freePorts } from './free-ports.ts';
import { serverArgs, startChild } from './child-server.ts';

const HAVE_HAPROXY = haproxyInstalled();
if (!HAVE_HAPROXY)
  console.warn('cluster-start.test.ts skipped: haproxy is not installed (.ci/services installs it)');

/** Listens on 127.0.0.1:port (a port taken by another program); resolves to its closer. */
async function holdPort(port: number): Promise<() => Promise<void>> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve());
  });
  return () => new Promise<void>((r) => srv.close(() => r()));
}

/**
 * `npm run cluster` as an operator meets it, with the real server behind HAProxy: the addresses the join
 * link gives students, and a process that cannot start. Its own PostgreSQL schema and Redis key prefix.
 */
describe.skipIf(!HAVE_HAPROXY)('starting a cluster of real server processes', () => {
  let services: TestServices;
  let cluster: RunningCluster | null = null;
  const output: string[] = [];
  const env = (): Record<string, string> => ({
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: services.databaseUrl,
    KEY_PREFIX: services.prefix,
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    services = await testServices();
  });
  afterAll(async () => {
    await cluster?.stop();
    await services?.close();
  });

  it("gives students the balancer's network addresses: its port on every address of the machine, not the process's 127.0.0.1", async () => {
    const [port, ...nodePorts] = await freePorts(3);
    // As `npm run cluster` binds it: every interface, so students on the class Wi-Fi reach it.
    cluster = await startCluster({
      entry: serverArgs(),
      nodes: 2,
      port: port!,
      nodePorts,
      host: '0.0.0.0',
      env: env(),
      print: (l) => output.push(l),
    });
    const expected = lanAddresses().map((ip) => `http://${ip}:${port}`);
    // A machine with only loopback cannot show the difference (both would be empty): say so.
    if (expected.length === 0)
      console.warn('cluster-start.test.ts: no network address here, nothing to compare');
    expect(cluster.studentUrls).toEqual(expected);
    // What the teacher's console and the projector ask when their page is open as localhost, whichever
    // process the balancer gives the request to.
    for (let i = 0; i < 2; i++) {
      const info = (await (await fetch(`${cluster.url}/api/info`)).json()) as { lanUrls: string[] };
      expect(info.lanUrls).toEqual(expected);
    }
    await cluster.stop();
    cluster = null;
  });

  it('stops the whole start at once when a process cannot listen, naming it and why', async () => {
    const [port, ...nodePorts] = await freePorts(3);
    // Another program holds node2's port.
    const release = await holdPort(nodePorts[1]!);
    try {
      const lines: string[] = [];
      await expect(
        startCluster({
          entry: serverArgs(),
          nodes: 2,
          port: port!,
          nodePorts,
          host: '127.0.0.1',
          env: env(),
          print: (l) => lines.push(l),
        }),
      ).rejects.toThrow(
        new RegExp(
          `^node2 could not start \\(status 1: Lemonscale cannot start: cannot listen on 127\\.0\\.0\\.1:${nodePorts[1]}: port ${nodePorts[1]} is in use`,
        ),
      );
      // node1, which had started, was stopped with it: its port is free again.
      const again = await holdPort(nodePorts[0]!);
      await again();
    } finally {
      await release();
    }
  });

  it('a process that cannot reach Redis says which address it tried', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const err = (await startChild(os.tmpdir(), {
      REDIS_URL: nowhere,
      DATABASE_URL: services.databaseUrl,
      KEY_PREFIX: services.prefix,
    }).then(
      () => {
        throw new Error('the server started without Redis');
      },
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain(`Redis at ${nowhere} (REDIS_URL): connect ECONNREFUSED`);
  });
});
