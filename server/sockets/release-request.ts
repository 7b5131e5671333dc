import { ServerResponse, type IncomingMessage } from 'node:http';
import { addressBlock } from './address-block.ts';
import type { EngineConnection } from './engine-connection.ts';
import type { IoServer, IoSocket } from './types.ts';

/**
 * Each connection's HTTP request (the handshake's, or the websocket upgrade's) let go once the
 * connection is open, as Socket.IO's "Memory usage" page advises (`rawSocket.request = null`): about
 * 1 KB per connected student (the `IncomingMessage`, its headers and their strings; issue 9's memory
 * figure). What the server needs of it later is read first: the client's address (behind our balancer
 * the X-Forwarded-For entry it added last), kept per connection here. The origin check
 * (`allowRequest`) runs before the connection opens and still sees the whole request. Socket.IO builds
 * `socket.handshake` from the request when the client connects to a namespace, after this: its `address`
 * and `auth` are as before, but its `headers` and `query` are empty, `url` undefined, `xdomain` false and
 * `secure` true whatever the connection (Socket.IO's buildHandshake), so nothing in the server may read
 * those or `socket.request`: use {@link clientAddress} (and `auth` for what the client sends).
 *
 * Dropping Engine.IO's reference alone frees nothing for a websocket: the response stand-in it gives an
 * upgrade's middlewares (`WebSocketResponse`, a subset of `http.ServerResponse`) keeps the request as
 * `res.req`, and stays reachable through the `close` listener it leaves on the TCP socket for the
 * connection's life. So a middleware notes each upgrade's response, and once Engine.IO has written the
 * upgrade's headers (its `headers` event: the last use of the response's headers, which it keeps on the
 * request) the response lets go of the request (`res.req`, as on `http.ServerResponse`). The integration
 * test `release-request.test.ts` checks that the request is collected, so a new Engine.IO that keeps it
 * elsewhere is noticed.
 */
const upgradeResponse = Symbol('upgradeResponse');
type EngineRequest = IncomingMessage & { [upgradeResponse]?: { req: IncomingMessage | null } };

const addresses = new WeakMap<object, string>();

/**
 * The client's address from its request (behind our balancer, trustProxy, the X-Forwarded-For entry it
 * added last), as the per-address limits count it: an IPv6 client's /64 ({@link addressBlock}).
 */
export function addressFrom(req: IncomingMessage | null, remote: string, trustProxy: boolean): string {
  const forwarded = req?.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').pop()!.trim();
    if (last !== '') return addressBlock(last);
  }
  return remote ? addressBlock(remote) : 'unknown';
}

export function releaseRequests(io: IoServer, trustProxy: boolean): void {
  io.engine.use((req: EngineRequest, res: ServerResponse, next: (err?: unknown) => void) => {
    // An upgrade's response is Engine.IO's stand-in, not an http.ServerResponse (long-polling's is one,
    // Node's own, done with once its answer is sent: left alone).
    if (!(res instanceof ServerResponse)) req[upgradeResponse] = res as unknown as { req: null };
    next();
  });
  io.engine.on('headers', (_headers: unknown, req: EngineRequest) => {
    const res = req[upgradeResponse];
    if (res === undefined) return;
    res.req = null;
    req[upgradeResponse] = undefined;
  });
  io.engine.on('connection', (raw: EngineConnection) => {
    addresses.set(raw, addressFrom(raw.request, raw.remoteAddress, trustProxy));
    raw.request = null;
  });
}

/** The client's address (see {@link releaseRequests}); from the handshake where the request was never released. */
export function clientAddress(socket: IoSocket, trustProxy: boolean): string {
  return (
    addresses.get(socket.conn) ?? addressFrom(socket.request ?? null, socket.handshake.address, trustProxy)
  );
}
