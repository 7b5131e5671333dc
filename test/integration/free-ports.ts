import net from 'node:net';

/**
 * Ports nobody listens on now, as the kernel hands them out for a listen on port 0: a test's own servers
 * (redis-server, PostgreSQL, HAProxy, cluster processes) take these instead of fixed numbers, which
 * another test file running beside it, another engineer or a leftover process may hold. All `n` are held
 * open together before being closed, so they are distinct. Between the close and the server's own listen
 * another program may take one (rare): the starters below say so clearly, or pick again.
 */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, host, () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r()))));
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return (await freePorts(1, host))[0]!;
}
