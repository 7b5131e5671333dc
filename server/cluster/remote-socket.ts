import type { IoServer, IoSocket, SocketData } from '../sockets/types.ts';

/** What the owner did to a remote socket's rooms while handling one of its events: the edge applies it. */
export interface Effects {
  joins: string[];
  leaves: string[];
  disconnect: boolean;
}

/** One event of a socket held by another process, sent to the room's owner. */
export interface ForwardedEvent {
  kind: 'event';
  socketId: string;
  event: string;
  payload: unknown;
  /** The edge's view of the connection: address and device (and roles, for a facade made afresh). */
  data: SocketData;
}

/** The socket closed on its process: the owner forgets it (the player is away, like a local disconnect). */
export interface ForwardedGone {
  kind: 'gone';
  socketId: string;
}

export type Forwarded = ForwardedEvent | ForwardedGone;

/** The owner's answer: the acknowledgement, the connection's roles after it, and the effects. */
export interface ForwardedReply extends Effects {
  ack: unknown;
  data: Pick<SocketData, 'player' | 'teacherOf' | 'projectorOf'>;
}

type Listener = (...args: unknown[]) => void;
type AnyListener = (this: IoSocket, event: string, ...args: unknown[]) => void;

/**
 * The owner's stand-in for a socket connected to another process, so that the very handlers a local
 * socket runs (student.ts, teacher.ts, projector.ts, through edge.ts) run for it too. What it sends the
 * socket goes through the Socket.IO Redis adapter to wherever the socket is, in order with the room's
 * broadcasts. What a handler does to its rooms (joins, leaves) and a disconnect are recorded and
 * returned with the acknowledgement, and the edge applies them to the real socket before acknowledging
 * (the edge's own Socket.IO rooms are what its broadcasts reach); between events (a kick, a room
 * closing) they too go through the adapter.
 */
export class RemoteSocket {
  readonly remote = true;
  data: SocketData;
  /** Each event's listeners, in the order they were added (`on`, as Node's EventEmitter). */
  private readonly handlers = new Map<string, Listener[]>();
  /**
   * The catch-all listeners, in the order they were added (`onAny`). The cluster wires one, edge.ts's,
   * as every local socket has (index.ts); `on` listeners are what tests wire.
   */
  private readonly any: AnyListener[] = [];
  private recording: Effects | null = null;
  /** Ends the event being handled without an answer (the handler cut the connection). */
  private cut: (() => void) | null = null;
  /** Events of one socket are handled one at a time, in arrival order (as Socket.IO does locally). */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * A room that moves away (lost lease) closes its sockets' connections so that pages reconnect and
   * resume at the new owner; the connection of a remote socket is its own process's to keep: that
   * process takes the socket's roles up again at the new owner (Forwarding.checkOwners).
   */
  readonly conn = { close: (): void => undefined };
  /** Minimal handshake: the edge already checked the origin and read the address. */
  readonly handshake: { address: string; headers: Record<string, string>; auth: Record<string, unknown> };

  constructor(
    private readonly io: Pick<IoServer, 'to' | 'in'>,
    readonly id: string,
    data: SocketData,
  ) {
    this.data = { addr: data.addr, device: data.device };
    this.handshake = { address: data.addr, headers: {}, auth: {} };
  }

  on(event: string, fn: Listener): this {
    const list = this.handlers.get(event);
    if (list) list.push(fn);
    else this.handlers.set(event, [fn]);
    return this;
  }

  onAny(fn: AnyListener): this {
    this.any.push(fn);
    return this;
  }

  listenersAny(): AnyListener[] {
    return [...this.any];
  }

  listeners(event: string): Listener[] {
    return [...(this.handlers.get(event) ?? [])];
  }

  /**
   * Always at once, through the adapter, even while an event is handled: a snapshot must reach the
   * socket in the same order as the room's tick broadcasts around it (both go out on this process's one
   * adapter connection, in order), or the ticks between the snapshot and the answer would be lost to it.
   */
  emit(event: string, ...args: unknown[]): boolean {
    (this.io.to(this.id).emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
    return true;
  }

  join(room: string): void {
    if (this.recording) this.recording.joins.push(room);
    else this.io.in(this.id).socketsJoin(room);
  }

  leave(room: string): void {
    if (this.recording) this.recording.leaves.push(room);
    else this.io.in(this.id).socketsLeave(room);
  }

  disconnect(): this {
    if (this.recording) {
      this.recording.disconnect = true;
      this.cut?.();
    } else this.io.in(this.id).disconnectSockets(true);
    return this;
  }

  /**
   * Runs one forwarded event through its listeners as Socket.IO 4 runs a received event (socket.js
   * `onevent`, `dispatch`, `ack`): every catch-all listener, with the event's name first, then every
   * listener of the event unless the connection was cut meanwhile, all with the stand-in as `this`; the
   * acknowledgement is the first answer (Socket.IO sends one, later calls do nothing). One difference:
   * Socket.IO calls the event's listeners a tick later (after `use` middlewares, which a stand-in has
   * none of), the stand-in at once: what they do at once to the rooms is in the answer even when a
   * catch-all listener answered first (the edge applies it before acknowledging; later, the adapter).
   * Resolves with what to send back; no listener, no answer (undefined).
   */
  handle(event: string, payload: unknown): Promise<ForwardedReply> {
    const run = async (): Promise<ForwardedReply> => {
      const any = [...this.any];
      const on = [...(this.handlers.get(event) ?? [])];
      const effects: Effects = { joins: [], leaves: [], disconnect: false };
      this.recording = effects;
      try {
        const ack = await new Promise<unknown>((resolve) => {
          if (any.length + on.length === 0) return resolve(undefined);
          // A flooding connection is cut without an answer: then nothing else would resolve this.
          this.cut = () => resolve(undefined);
          const socket = this.asSocket();
          for (const fn of any) fn.call(socket, event, payload, resolve);
          if (effects.disconnect) return;
          for (const fn of on) fn.call(socket, payload, resolve);
        });
        const { player, teacherOf, projectorOf } = this.data;
        return { ack, data: { player, teacherOf, projectorOf }, ...effects };
      } finally {
        this.recording = null;
        this.cut = null;
      }
    };
    const done = this.queue.then(run, run);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Typed as the handlers expect: they use only what this class implements. */
  asSocket(): IoSocket {
    return this as unknown as IoSocket;
  }
}

/** Whether a socket handed to a handler is a remote one's stand-in (the forwarding must not forward it). */
export function isRemoteSocket(s: unknown): s is RemoteSocket {
  return s instanceof RemoteSocket;
}

/**
 * The owner's stand-ins, one per remote socket that sent this process an event; made on the first one
 * (with the handlers wired by `wire`) and dropped when the socket's process says it is gone.
 */
export class RemoteSockets {
  private readonly sockets = new Map<string, RemoteSocket>();

  constructor(
    private readonly io: Pick<IoServer, 'to' | 'in'>,
    private readonly wire: (s: RemoteSocket) => void,
    private readonly onGone: (s: RemoteSocket) => void,
  ) {}

  async receive(msg: Forwarded): Promise<ForwardedReply | null> {
    if (msg.kind === 'gone') {
      const s = this.sockets.get(msg.socketId);
      if (s) {
        this.sockets.delete(msg.socketId);
        this.onGone(s);
      }
      return null;
    }
    let s = this.sockets.get(msg.socketId);
    if (!s) {
      // Roles are not taken from the edge: the edge re-resumes (with the token) at a new owner first.
      s = new RemoteSocket(this.io, msg.socketId, msg.data);
      this.wire(s);
      this.sockets.set(msg.socketId, s);
    }
    return s.handle(msg.event, msg.payload);
  }

  /** Remote sockets watching a room as its teacher or its projector (a transport's hasTeacher/…). */
  watching(role: 'teacherOf' | 'projectorOf', roomCode: string): boolean {
    for (const s of this.sockets.values()) if (s.data[role] === roomCode) return true;
    return false;
  }

  get size(): number {
    return this.sockets.size;
  }
}
