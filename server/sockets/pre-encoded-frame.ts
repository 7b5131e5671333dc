import type { IoSocket } from './types.ts';

/**
 * A message encoded once for many connections: the Socket.IO packet (`2["event",payload]` for an event,
 * `3<id>[...]` for an acknowledgement; the default namespace) and the websocket frame that carries it as
 * an Engine.IO message (`4` + packet), unmasked and final, as a server sends it (RFC 6455 section 5.2).
 */
export interface PreEncoded {
  /** The Socket.IO packet, for Engine.IO (made on first use). */
  readonly packet: string;
  /**
   * The whole frame, header and data, in ONE buffer (ws's `sendFrame` takes this list; Socket.IO's
   * in-memory adapter hands Engine.IO the same bytes, framed by ws, as `wsPreEncodedFrame`): ws writes a
   * list of one with one `socket.write`, where a header and data apart cost a cork, two buffered writes,
   * an uncork and a `writev` of two (what Socket.IO's own broadcast pays). Measured apart, 1,000 connections and a
   * reader in another process: 3.3-3.9 against 2.5-2.9 µs of CPU per write; the bytes are the same.
   */
  frame: [Buffer];
}

/** A message encoded once: its frame, and its packet string for Engine.IO made on first use. */
class Encoded implements PreEncoded {
  #packet: string | undefined;
  constructor(
    /** What precedes the JSON in the Socket.IO packet: its type, and an acknowledgement's id. */
    private readonly head: string,
    private readonly json: string,
    readonly frame: [Buffer],
  ) {}
  get packet(): string {
    return (this.#packet ??= `${this.head}${this.json}`);
  }
}

/**
 * Encodes a message once: its JSON written straight into the frame after its header (the same bytes
 * ws frames for Socket.IO's broadcast; a unit test compares them), where it was copied through the
 * packet string, Engine.IO's `4` + packet flattened, a buffer of that and one of header and data
 * together. The heap then holds the JSON alone (a class view of 50 students is 29 KB; building and
 * encoding class views was a third of the process's allocation at 40 rooms of 50); the packet string is
 * made only when Engine.IO needs it (long-polling, or a queue to wait behind).
 */
export function preEncode(event: string, payload: unknown): PreEncoded {
  // Socket.IO's "event" packet type.
  return framed('2', JSON.stringify([event, payload]));
}

/**
 * An acknowledgement's packet (Socket.IO's type 3, the id the client gave, the reply's arguments) as a
 * ready frame: what Socket.IO's `ack` callback would have its parser and Engine.IO make (ready-acks.ts).
 */
export function preEncodeAck(id: number, args: readonly unknown[]): PreEncoded {
  return framed(`3${id}`, JSON.stringify(args));
}

/** The frame of Engine.IO's "message" (`4`) holding the Socket.IO packet `head` + `json`. */
function framed(head: string, json: string): PreEncoded {
  // A server's frame (RFC 6455 section 5.2): final, text, unmasked; the length in 7, 16 or 64 bits.
  // `head` is ASCII: digits and the packet type.
  const length = 1 + head.length + Buffer.byteLength(json);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  const start = header + frame.write(`4${head}`, header, 'latin1');
  frame.write(json, start);
  return new Encoded(head, json, [frame]);
}

/** What Engine.IO and ws expose of a connection (not in their public types). */
interface Conn {
  readyState: string;
  upgrading?: boolean;
  writeBuffer: unknown[];
  transport?: {
    name?: string;
    /** False while Engine.IO's transport is still writing what it was given (Socket.IO's volatile rule). */
    writable?: boolean;
    socket?: {
      readyState?: number;
      /** ws's network socket. */
      _socket?: { cork(): void; uncork(): void; writableLength?: number };
      _sender?: { _state?: number; _queue?: unknown[]; sendFrame?: SendFrame };
    };
  };
  write(data: string, options: { wsPreEncodedFrame: [Buffer] }): void;
}
type SendFrame = (list: [Buffer], cb?: () => void) => void;
const WS_OPEN = 1;

/**
 * Sends a pre-encoded message to one connection. A websocket with nothing queued in Engine.IO gets the
 * frame written straight to its socket: the same bytes Socket.IO's broadcast would write (it also writes a
 * pre-computed frame), without Engine.IO's per-packet bookkeeping (a packet object, a flush, four events,
 * a callback per write), which was most of what a bare Socket.IO broadcast costs beyond the write itself.
 * Order is kept: whatever Engine.IO accepted earlier has either been handed to ws already (its buffer is
 * empty) or is still queued, and then this message queues behind it through Engine.IO as usual. Any other
 * transport (long-polling) goes through Engine.IO.
 *
 * A `volatile` message (the class views: the next one says it all) is skipped, as Socket.IO's volatile
 * emit skips it, while the connection is still writing what it was given before: Engine.IO's transport
 * in the middle of a write (Socket.IO's own rule), or ready frames written here still waiting in the
 * network socket's buffer (the same rule for the writes Engine.IO does not see).
 *
 * Returns how the message went: 'frame' (straight to the websocket), 'engine' (queued through Engine.IO,
 * the safe fallback, also taken when ws's private fields are not what this expects) or 'none' (gone, or
 * a volatile message skipped). The tests check that an idle websocket, upgraded or not, takes 'frame':
 * the fallback is silent.
 */
export function sendPreEncoded(
  socket: IoSocket,
  m: PreEncoded,
  volatile = false,
): 'frame' | 'engine' | 'none' {
  const conn = socket.conn as unknown as Conn;
  // As a broadcast: a socket that has left (or whose connection is closing) gets nothing.
  if (!socket.connected || conn.readyState !== 'open') return 'none';
  const ws = conn.transport?.socket;
  if (volatile && (conn.transport?.writable !== true || (ws?._socket?.writableLength ?? 0) > 0))
    return 'none';
  const sender = ws?._sender;
  if (
    conn.transport?.name === 'websocket' &&
    !conn.upgrading &&
    conn.writeBuffer.length === 0 &&
    ws?.readyState === WS_OPEN &&
    sender?._state === 0 &&
    sender._queue?.length === 0 &&
    typeof sender.sendFrame === 'function'
  ) {
    sender.sendFrame(m.frame);
    return 'frame';
  }
  conn.write(m.packet, { wsPreEncodedFrame: m.frame });
  return 'engine';
}

/**
 * Holds a connection's writes until the work in hand is done (the event loop's next check phase,
 * `setImmediate`), so that what is sent to it meanwhile leaves in one system write: a player's own
 * command and the tick message sent right behind it cost one `writev`, not two (the bytes and their order
 * are the same). Held that long, not just to the next `process.nextTick`, the command's acknowledgement
 * joins them too when the command was applied at this tick boundary: the store's transaction
 * (GroupCommitStore) runs in an immediate queued before this one, and the acknowledgements it settles are
 * written in the promise callbacks after it, into the held socket. Only websockets are held;
 * long-polling answers a request and has nothing to gain.
 */
export function holdWrites(socket: IoSocket): void {
  const conn = socket.conn as unknown as Conn;
  if (conn.transport?.name !== 'websocket') return;
  const net = conn.transport.socket?._socket;
  if (typeof net?.cork !== 'function') return;
  net.cork();
  setImmediate(() => net.uncork());
}
