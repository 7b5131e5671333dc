import type { IncomingMessage } from 'node:http';
import { addressFrom } from './release-request.ts';
import type { EngineConnection } from './engine-connection.ts';
import type { IoServer } from './types.ts';

/**
 * A place held for one connection of an address: from its handshake's allowRequest until the handshake
 * fails or its connection closes. `state` says whether it still holds its count (`reserved`, `open`).
 */
interface Place {
  addr: string;
  state: 'reserved' | 'open' | 'given back';
  /** Gives the place back if the request's TCP socket closes before the handshake ends. */
  onSocketClose: () => void;
  /** That socket, until the handshake ends (not kept for the connection's life: a long-polling one's is done). */
  socket: IncomingMessage['socket'] | null;
}

/**
 * Engine.IO connections open at once per client address, and a cap on them. Without it one address
 * could hold connections without end: a long-polling session needs no socket, only a GET (20,000 in 9 s
 * took ~100 MB of the server's memory, each held ~45 s until its connect timeout), and a websocket stays
 * for as long as its script answers pings. Past the cap that address's handshakes are refused (403, in
 * words) until one of its connections closes; other addresses are untouched. Counted in this process
 * (cluster mode: per process, behind the balancer by the forwarded address).
 *
 * A handshake takes its place when it is allowed, not when its connection opens: Engine.IO opens the
 * connection later (after an await), so counting then let 50 handshake GETs written in one TCP packet all
 * pass the check at cap 3. The place becomes the connection's when it opens, and comes back when the
 * handshake fails (`connection_error`) or its request's socket closes first (a websocket upgrade that `ws`
 * aborts says nothing else), so no place is lost for good.
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();
  private readonly places = new WeakMap<IncomingMessage, Place>();

  constructor(
    private readonly max: number,
    private readonly trustProxy: boolean,
  ) {}

  /** Connections (and handshakes under way) counted for an address. */
  private countOf(addr: string): number {
    return this.open.get(addr) ?? 0;
  }

  /**
   * Whether a handshake may open one more connection (Engine.IO's allowRequest, its last check before
   * the handshake); if so its place is taken now.
   */
  allows(req: IncomingMessage): boolean {
    const addr = addressFrom(req, req.socket.remoteAddress ?? '', this.trustProxy);
    // A socket already gone would never tell us it closed: nobody is left to answer anyway.
    if (this.countOf(addr) >= this.max || req.socket.destroyed) return false;
    this.add(addr, 1);
    const place: Place = {
      addr,
      state: 'reserved',
      socket: req.socket,
      onSocketClose: () => this.giveBack(place),
    };
    req.socket.once('close', place.onSocketClose);
    this.places.set(req, place);
    return true;
  }

  /**
   * Hands each handshake's place to its connection when it opens, and frees it when the connection
   * closes or the handshake fails. Reads the connection's request, so its listener goes before
   * releaseRequests' (which lets go of the request).
   */
  countOn(io: IoServer): void {
    io.engine.on('connection_error', (err: { req?: IncomingMessage }) => {
      const place = err.req && this.places.get(err.req);
      if (place) this.giveBack(place);
    });
    io.engine.prependListener('connection', (conn: EngineConnection) => {
      const place = conn.request && this.places.get(conn.request);
      if (!place) return;
      place.socket?.off('close', place.onSocketClose);
      place.socket = null;
      // Its socket closed while Engine.IO finished the handshake: the connection is open all the same.
      if (place.state === 'given back') this.add(place.addr, 1);
      place.state = 'open';
      conn.once('close', () => this.giveBack(place));
    });
  }

  private giveBack(place: Place): void {
    if (place.state === 'given back') return;
    place.state = 'given back';
    place.socket?.off('close', place.onSocketClose);
    place.socket = null;
    this.add(place.addr, -1);
  }

  private add(addr: string, by: number): void {
    const n = this.countOf(addr) + by;
    if (n > 0) this.open.set(addr, n);
    else this.open.delete(addr);
  }
}
