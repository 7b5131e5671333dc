import { OwnerUnavailableError, ownerUnavailableAck } from '../cluster/owner-rpc.ts';
import type { RoomLocation } from '../cluster/room-directory.ts';
import { isRemoteSocket, type Forwarded, type ForwardedReply } from '../cluster/remote-socket.ts';
import type { EventForwarding } from './edge.ts';
import { studentsChannel } from './room-transport.ts';
import type { IoSocket, SocketData } from './types.ts';

/**
 * Any process takes any connection (cluster mode): an event about a room this process does not run is
 * sent to the process that does (the lease holder in Redis), which runs the very same handler for a
 * stand-in of this socket (RemoteSocket) and answers with the acknowledgement and what the handler did
 * to the socket; this process applies that to the real socket and acknowledges. If the owner cannot be
 * reached or does not answer in time the client gets `owner-unavailable`, which it retries with the same
 * command id (the owner drops a command it already took), never silence and never a made-up success.
 *
 * After a room changes owner (failover), a socket held here still has its role in the room but the new
 * owner has never seen it: before its next event reaches the new owner, the role is taken up again there
 * with the token the socket used (player:resume, teacher:resume, projector:watch), which also sends it a
 * fresh snapshot to follow the stream from.
 */
export interface ForwardingDeps {
  nodeId: string;
  /** Rooms this process runs (its registry). */
  isLocal(roomCode: string): boolean;
  /** The room's game and current holder; null when the code names no open room. */
  locate(roomCode: string): Promise<RoomLocation | null>;
  /** Asks another process (OwnerRpc.call). */
  call(nodeId: string, gameId: string, msg: Forwarded, timeoutMs: number): Promise<unknown>;
  timeoutMs?: number;
}

/** What this process remembers about a connection's roles, to take them up again at a new owner. */
interface EdgeState {
  player?: { roomCode: string; playerToken: string };
  teacher?: { roomCode: string; teacherToken: string };
  projector?: string;
  /** Room code → the holder (`node|epoch`) the roles in it were taken up with. */
  attachedTo: Map<string, string>;
  /** Processes that hold a stand-in of this socket, told when it closes. */
  owners: Map<string, string>;
}

/** Answers after which taking a role up again is tried later, rather than the role given up. */
const TRY_AGAIN = new Set(['owner-unavailable', 'server-error', 'rate-limited', 'cant-save']);

const ENTRY_EVENTS = new Set(['player:join', 'player:resume', 'teacher:resume', 'projector:watch']);

/** The room an event is about, or null for an event that is always handled here (room:create). */
export function targetRoom(event: string, payload: unknown, data: SocketData): string | null {
  if (ENTRY_EVENTS.has(event)) return (payload as { roomCode: string }).roomCode;
  if (event === 'player:leave' || event === 'player:action' || event === 'stream:resync')
    return data.player?.roomCode ?? null;
  if (event === 'teacher:action') return data.teacherOf ?? null;
  return null;
}

type Local = () => Promise<unknown>;

export class Forwarding implements EventForwarding {
  private readonly state = new WeakMap<IoSocket, EdgeState>();
  /** Connections here with a role in some room: checked for their room changing owner. */
  private readonly tracked = new Map<string, IoSocket>();
  private readonly timeoutMs: number;
  private checking = false;

  constructor(private readonly deps: ForwardingDeps) {
    this.timeoutMs = deps.timeoutMs ?? 3000;
  }

  private stateOf(socket: IoSocket): EdgeState {
    let s = this.state.get(socket);
    if (!s) this.state.set(socket, (s = { attachedTo: new Map(), owners: new Map() }));
    return s;
  }

  /** Runs a validated event here (`local`) or at the room's owner; resolves with the acknowledgement. */
  async run(socket: IoSocket, event: string, payload: unknown, local: Local): Promise<unknown> {
    // A stand-in is already at the owner: its events are this process's to handle.
    if (isRemoteSocket(socket)) return local();
    const code = targetRoom(event, payload, socket.data);
    if (code === null) {
      const ack = await local();
      await this.remember(socket, event, payload, ack, null);
      return ack;
    }
    let where: RoomLocation | null;
    try {
      where = await this.deps.locate(code);
    } catch {
      // PostgreSQL or Redis unreachable. A room this process runs goes on here (it holds what it cannot
      // save, "reconnecting to storage"; its lease keeper drops it if the lease is lost); for any other
      // the owner cannot be known now: retryable, never a server error.
      if (this.deps.isLocal(code)) {
        const ack = await local();
        await this.remember(socket, event, payload, ack, null);
        return ack;
      }
      return this.unavailable(`the owner of room ${code} cannot be looked up now`);
    }
    // No open room by that code: the local handler gives the usual answer (unknown room, not a player…).
    if (where === null) return local();
    if (where.owner === null) return this.unavailable(`room ${code} is between owners`);
    const holder = `${where.owner.nodeId}|${where.owner.epoch}`;
    if (!ENTRY_EVENTS.has(event)) await this.reattach(socket, code, holder);
    const ack = await this.dispatch(socket, event, payload, where, local);
    await this.remember(socket, event, payload, ack, holder);
    return ack;
  }

  private unavailable(why: string): unknown {
    return { ok: false, error: ownerUnavailableAck(new OwnerUnavailableError(why, 'no-listener')) };
  }

  private async dispatch(
    socket: IoSocket,
    event: string,
    payload: unknown,
    where: RoomLocation,
    local: Local,
  ): Promise<unknown> {
    const owner = where.owner!.nodeId;
    if (owner === this.deps.nodeId) {
      // Ours by the lease, but not (yet) in the registry: a takeover still rebuilding the room.
      if (!this.deps.isLocal(where.roomCode))
        return this.unavailable(`room ${where.roomCode} is starting here`);
      return local();
    }
    const st = this.stateOf(socket);
    // A student joining or coming back follows the tick stream from the snapshot the owner sends it. The
    // socket joins the room's channel here before asking, so that every tick the owner broadcasts after
    // its snapshot reaches it (snapshot and ticks leave the owner in order on its adapter connection);
    // joined only once the answer came back, it would miss those and start with a hole.
    const joining = event === 'player:join' || event === 'player:resume';
    const wasIn = socket.data.player?.roomCode === where.roomCode;
    if (joining) void socket.join(studentsChannel(where.roomCode));
    const msg: Forwarded = { kind: 'event', socketId: socket.id, event, payload, data: socket.data };
    let reply: ForwardedReply;
    try {
      reply = (await this.deps.call(owner, where.gameId, msg, this.timeoutMs)) as ForwardedReply;
    } catch (e) {
      // Not reached, no answer in time, or it no longer runs the room: all worth the same retry.
      const why = e instanceof OwnerUnavailableError ? e : new OwnerUnavailableError(owner, 'timeout');
      if (joining && !wasIn) void socket.leave(studentsChannel(where.roomCode));
      return { ok: false, error: ownerUnavailableAck(why) };
    }
    st.owners.set(owner, where.gameId);
    for (const room of reply.leaves) void socket.leave(room);
    for (const room of reply.joins) void socket.join(room);
    for (const key of ['player', 'teacherOf', 'projectorOf'] as const) {
      if (reply.data[key] === undefined) delete socket.data[key];
      else (socket.data as unknown as Record<string, unknown>)[key] = reply.data[key];
    }
    if (joining && socket.data.player?.roomCode !== where.roomCode)
      void socket.leave(studentsChannel(where.roomCode));
    if (reply.disconnect) socket.disconnect(true);
    return reply.ack;
  }

  /** Takes the socket's roles in `code` up again at a new holder, before an event that needs them. */
  private async reattach(socket: IoSocket, code: string, holder: string): Promise<void> {
    const st = this.stateOf(socket);
    const was = st.attachedTo.get(code);
    if (was === undefined || was === holder) return;
    st.attachedTo.set(code, holder);
    const again: [string, object, () => void][] = [];
    if (st.player?.roomCode === code)
      again.push([
        'player:resume',
        { roomCode: code, playerToken: st.player.playerToken },
        () => delete st.player,
      ]);
    if (st.teacher?.roomCode === code)
      again.push([
        'teacher:resume',
        { roomCode: code, teacherToken: st.teacher.teacherToken },
        () => delete st.teacher,
      ]);
    if (st.projector === code) again.push(['projector:watch', { roomCode: code }, () => delete st.projector]);
    for (const [event, payload, forget] of again) {
      const ack = (await this.run(socket, event, payload, () =>
        this.localHandler(socket, event, payload),
      )) as { ok: boolean; error?: { code: string } } | undefined;
      if (ack?.ok) continue;
      // Not reached now (the room still settling at its new owner): try again with the next event or
      // check. Refused (a kicked player, a closed room): the role is gone.
      if (ack === undefined || TRY_AGAIN.has(ack.error?.code ?? '')) st.attachedTo.set(code, was);
      else forget();
    }
  }

  /** Runs this socket's own handler for an event (a local re-resume): its catch-all listener (edge.ts). */
  private localHandler(socket: IoSocket, event: string, payload: unknown): Promise<unknown> {
    const [listener] = socket.listenersAny();
    if (!listener) return Promise.resolve(undefined);
    return new Promise((resolve) => listener.call(socket, event, payload, resolve));
  }

  private async remember(
    socket: IoSocket,
    event: string,
    payload: unknown,
    ack: unknown,
    holder: string | null,
  ): Promise<void> {
    const a = ack as { ok?: boolean; roomCode?: string; playerToken?: string; teacherToken?: string } | null;
    if (!a?.ok) return;
    const st = this.stateOf(socket);
    const p = payload as { roomCode?: string; playerToken?: string; teacherToken?: string };
    let code = a.roomCode ?? p.roomCode;
    if (event === 'player:join' && code && a.playerToken)
      st.player = { roomCode: code, playerToken: a.playerToken };
    else if (event === 'player:resume' && code && p.playerToken)
      st.player = { roomCode: code, playerToken: p.playerToken };
    else if ((event === 'teacher:resume' || event === 'room:create') && code) {
      const teacherToken = event === 'room:create' ? a.teacherToken : p.teacherToken;
      if (teacherToken) st.teacher = { roomCode: code, teacherToken };
    } else if (event === 'projector:watch' && code) st.projector = code;
    else if (event === 'player:leave') {
      delete st.player;
      code = undefined;
    } else return;
    if (!code) return;
    if (holder === null) {
      // Made here (room:create), or run here while the lookup failed: the holder is this process.
      const where = await this.deps.locate(code).catch(() => null);
      holder = where?.owner ? `${where.owner.nodeId}|${where.owner.epoch}` : null;
    }
    if (holder !== null) st.attachedTo.set(code, holder);
    this.tracked.set(socket.id, socket);
  }

  /**
   * Takes roles up again at a room's new owner without waiting for the socket's next event: a teacher's
   * console or a student who is only watching sends nothing, yet must get the new owner's class views,
   * own commands and proofs. Run every few hundred ms (one lookup per room with connections here).
   */
  async checkOwners(): Promise<number> {
    if (this.checking) return 0;
    this.checking = true;
    let moved = 0;
    try {
      const byRoom = new Map<string, IoSocket[]>();
      for (const socket of this.tracked.values()) {
        if (socket.disconnected) {
          this.tracked.delete(socket.id);
          continue;
        }
        for (const code of this.stateOf(socket).attachedTo.keys()) {
          const list = byRoom.get(code);
          if (list) list.push(socket);
          else byRoom.set(code, [socket]);
        }
      }
      for (const [code, sockets] of byRoom) {
        const where = await this.deps.locate(code).catch(() => undefined);
        if (where === undefined || where?.owner === null) continue; // unreachable, or between owners
        for (const socket of sockets) {
          const st = this.stateOf(socket);
          if (where === null) {
            st.attachedTo.delete(code); // the room closed
            continue;
          }
          const holder = `${where.owner!.nodeId}|${where.owner!.epoch}`;
          if (st.attachedTo.get(code) === holder) continue;
          moved++;
          await this.reattach(socket, code, holder);
        }
      }
    } finally {
      this.checking = false;
    }
    return moved;
  }

  /** The socket closed: every owner holding a stand-in of it forgets it (its player is away). */
  gone(socket: IoSocket): void {
    this.tracked.delete(socket.id);
    const st = this.state.get(socket);
    if (!st) return;
    for (const [nodeId, gameId] of st.owners)
      void this.deps
        .call(nodeId, gameId, { kind: 'gone', socketId: socket.id }, this.timeoutMs)
        .catch(() => undefined);
  }
}
