import type { EngineConnection } from './engine-connection.ts';
import type { IoServer } from './types.ts';

/** Engine.IO connections that have sent their Socket.IO CONNECT packet. */
const connected = new WeakSet<EngineConnection>();

/** Socket.IO's packet type CONNECT, the first character of its text packet ('0'). */
const CONNECT = 48;

/**
 * Closes a connection at its second CONNECT packet (called for every message, with the connection as
 * `this`; one function for all connections), before Socket.IO's own 'data' listener sees that packet
 * (see {@link oneSocketPerConnection}). The close has to be over before this returns: the emitter calls
 * Socket.IO's listener for this packet anyway, and only a connection that has already emitted 'close'
 * has made Socket.IO let go of its decoder (so the packet decodes into nothing). `close()` finishes
 * later (long-polling waits for a GET to say so; a websocket closes on the next tick), which still made
 * one extra socket; Engine.IO's own `onClose` (what it calls when a transport fails) closes at once.
 * Engine.IO drops whatever packets come after it: the rest of a batch is never even decoded.
 */
function connectOnce(this: EngineConnection, data: unknown): void {
  if (typeof data !== 'string' || data.charCodeAt(0) !== CONNECT) return;
  if (!connected.has(this)) connected.add(this);
  else this.onClose('forced close');
}

/**
 * One Socket.IO socket per Engine.IO connection. Socket.IO ignores a CONNECT for a namespace the
 * connection already has only once that socket has finished connecting (a microtask and a tick later):
 * every CONNECT that arrives before then becomes a socket of its own, with its own id (so its own event
 * budget), our listeners, and a place in every per-socket loop. Thousands fit in one 16 KB long-polling
 * POST (`40\x1e40\x1e...`): one such POST made 5,000 sockets and held the event loop ~1.8 s, stalling
 * every room; a few more in a row made it worse (the unsent-bytes check walks each connection's buffer
 * once per socket). Refusing them in a Socket.IO middleware came too late: each had already cost a
 * socket's making (~0.1 ms).
 *
 * Our client opens its one namespace once per connection (a new connection after any disconnect), so a
 * connection sending a second CONNECT is not our client: it is closed at once, with the sockets it
 * asked for. The server itself only ever disconnects a socket by closing its connection
 * (`disconnect(true)`), so no connection of ours needs a second CONNECT.
 */
export function oneSocketPerConnection(io: IoServer): void {
  // Socket.IO adds its 'data' listener in its own 'connection' listener, added when it attached, before
  // this one: prepended, ours runs first.
  io.engine.on('connection', (conn: EngineConnection) => conn.prependListener('data', connectOnce));
}
