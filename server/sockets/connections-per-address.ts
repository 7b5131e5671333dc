import type { IncomingMessage } from 'node:http';
import { addressFrom, engineAddress } from './release-request.ts';
import type { IoServer } from './types.ts';

/** What this file uses of an Engine.IO connection. */
interface EngineConnection {
  once(event: 'close', listener: (this: EngineConnection) => void): void;
}

/**
 * Engine.IO connections open at once per client address, and a cap on them. Without it one address
 * could hold connections without end: a long-polling session needs no socket, only a GET (20,000 in 9 s
 * took ~100 MB of the server's memory, each held ~45 s until its connect timeout), and a websocket stays
 * for as long as its script answers pings. Past the cap that address's handshakes are refused (403, in
 * words) until one of its connections closes; other addresses are untouched. Counted in this process
 * (cluster mode: per process, behind the balancer by the forwarded address).
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly trustProxy: boolean,
  ) {}

  /** Whether a handshake may open one more connection (Engine.IO's allowRequest, before it opens). */
  allows(req: IncomingMessage): boolean {
    const addr = addressFrom(req, req.socket.remoteAddress ?? '', this.trustProxy);
    return (this.open.get(addr) ?? 0) < this.max;
  }

  /**
   * Counts each connection from when it opens until it closes, by the address releaseRequests kept for
   * it (so call this after releaseRequests: its listener runs first). One close listener for all.
   */
  countOn(io: IoServer): void {
    const open = this.open;
    function closed(this: EngineConnection): void {
      const addr = engineAddress(this);
      if (addr === undefined) return;
      const n = (open.get(addr) ?? 1) - 1;
      if (n > 0) open.set(addr, n);
      else open.delete(addr);
    }
    io.engine.on('connection', (conn: EngineConnection) => {
      const addr = engineAddress(conn);
      if (addr === undefined) return;
      open.set(addr, (open.get(addr) ?? 0) + 1);
      conn.once('close', closed);
    });
  }
}
