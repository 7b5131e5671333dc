import { describe, expect, it } from 'vitest';
import { Forwarding } from '../../server/sockets/forwarding.ts';
import { OwnerUnavailableError } from '../../server/cluster/owner-rpc.ts';
import { RemoteSocket, RemoteSockets, type Forwarded } from '../../server/cluster/remote-socket.ts';
import type { RoomLocation } from '../../server/cluster/room-directory.ts';
import type { IoSocket } from '../../server/sockets/types.ts';

/** A socket on the edge process, recording what is done to it in order. */
function edgeSocket(id = 'sock-1') {
  const log: string[] = [];
  const s = {
    id,
    data: { addr: '10.0.0.7', device: 'device:abc' } as IoSocket['data'],
    disconnected: false,
    join: (r: string) => void log.push(`join ${r}`),
    leave: (r: string) => void log.push(`leave ${r}`),
    disconnect: () => void log.push('disconnect'),
    listenersAny: () => [],
  };
  return { socket: s as unknown as IoSocket, log };
}

/** What the adapter would carry to a socket on another process, recorded. */
function fakeIo(sent: string[]) {
  return {
    to: (id: string) => ({
      emit: (ev: string, arg: unknown) => (sent.push(`to ${id} ${ev} ${JSON.stringify(arg)}`), true),
    }),
    in: (id: string) => ({
      socketsJoin: (r: string) => void sent.push(`in ${id} join ${r}`),
      socketsLeave: (r: string) => void sent.push(`in ${id} leave ${r}`),
      disconnectSockets: () => void sent.push(`in ${id} disconnect`),
    }),
  } as never;
}

/**
 * An owner process: stand-ins wired with tiny handlers shaped like the real ones (a join that joins the
 * stream channel and sends a snapshot before answering; an action deduplicated by command id).
 */
function owner(name: string) {
  const sent: string[] = [];
  const applied = new Map<string, { tick: number }>();
  const received: string[] = [];
  const gone: string[] = [];
  const remote = new RemoteSockets(
    fakeIo(sent),
    (s: RemoteSocket) => {
      s.on('player:join', (p: unknown, ack: unknown) => {
        const { roomCode } = p as { roomCode: string };
        s.join(`students:${roomCode}`);
        s.emit('stream:snapshot', { from: name });
        s.data.player = { roomCode, playerId: 'p1' };
        (ack as (r: unknown) => void)({ ok: true, playerId: 'p1', playerToken: 'tok-1', roomCode });
      });
      s.on('player:resume', (p: unknown, ack: unknown) => {
        const { roomCode, playerToken } = p as { roomCode: string; playerToken: string };
        received.push(`resume ${playerToken}`);
        s.emit('stream:snapshot', { from: name });
        s.data.player = { roomCode, playerId: 'p1' };
        (ack as (r: unknown) => void)({ ok: true, playerId: 'p1', roomCode });
      });
      s.on('player:action', (p: unknown, ack: unknown) => {
        const { commandId } = p as { commandId: string };
        received.push(`action ${commandId} as ${s.data.player?.playerId ?? 'nobody'}`);
        if (!s.data.player)
          return (ack as (r: unknown) => void)({ ok: false, error: { code: 'not-player' } });
        if (!applied.has(commandId)) applied.set(commandId, { tick: applied.size + 1 });
        (ack as (r: unknown) => void)({ ok: true, ...applied.get(commandId)! });
      });
    },
    (s) => void gone.push(s.id),
  );
  return { name, remote, sent, applied, received, gone };
}

function edge(where: () => RoomLocation | null, owners: Record<string, ReturnType<typeof owner>>) {
  const calls: Forwarded[] = [];
  let failNext: 'before' | 'after' | null = null;
  const f = new Forwarding({
    nodeId: 'edge',
    isLocal: () => false,
    locate: () => Promise.resolve(where()),
    call: async (nodeId, _gameId, msg) => {
      calls.push(msg);
      if (failNext === 'before') {
        failNext = null;
        throw new OwnerUnavailableError(nodeId, 'no-listener');
      }
      const reply = await owners[nodeId]!.remote.receive(msg);
      if (failNext === 'after') {
        // The owner acted, but its answer never came back.
        failNext = null;
        throw new OwnerUnavailableError(nodeId, 'timeout');
      }
      return reply;
    },
  });
  return { f, calls, failNext: (how: 'before' | 'after') => (failNext = how) };
}

const notHere = (): Promise<unknown> => Promise.reject(new Error('must not run locally'));

describe('forwarding a socket event to the room owner', () => {
  it('runs a join at the owner and applies its joins, snapshot and roles before acknowledging', async () => {
    const b = owner('B');
    const { f } = edge(() => ({ roomCode: 'ROOM', gameId: 'g1', owner: { nodeId: 'B', epoch: 1 } }), {
      B: b,
    });
    const { socket, log } = edgeSocket();
    const ack = await f.run(socket, 'player:join', { roomCode: 'ROOM', nickname: 'Ann' }, notHere);
    log.push('ack');
    expect(ack).toEqual({ ok: true, playerId: 'p1', playerToken: 'tok-1', roomCode: 'ROOM' });
    // Joined to the stream's channel before asking (no tick after the snapshot lost while the answer
    // travels), then the owner's own join, and only then the acknowledgement.
    expect(log).toEqual(['join students:ROOM', 'join students:ROOM', 'ack']);
    // The snapshot went out from the owner through the adapter, in order with its tick broadcasts.
    expect(b.sent).toEqual(['to sock-1 stream:snapshot {"from":"B"}']);
    expect(socket.data.player).toEqual({ roomCode: 'ROOM', playerId: 'p1' });
    expect(b.remote.size).toBe(1);
  });

  it('answers owner-unavailable when the owner cannot be reached, and a retry with the same id is applied once', async () => {
    const b = owner('B');
    const e = edge(() => ({ roomCode: 'ROOM', gameId: 'g1', owner: { nodeId: 'B', epoch: 1 } }), { B: b });
    const { socket } = edgeSocket();
    await e.f.run(socket, 'player:join', { roomCode: 'ROOM', nickname: 'Ann' }, notHere);

    e.failNext('before');
    const first = (await e.f.run(socket, 'player:action', { commandId: 'c1' }, notHere)) as {
      ok: boolean;
      error: { code: string };
    };
    expect(first.ok).toBe(false);
    expect(first.error.code).toBe('owner-unavailable');
    expect(b.applied.size).toBe(0);

    e.failNext('after'); // applied at the owner, the answer lost
    const second = (await e.f.run(socket, 'player:action', { commandId: 'c1' }, notHere)) as {
      error: { code: string };
    };
    expect(second.error.code).toBe('owner-unavailable');
    const third = await e.f.run(socket, 'player:action', { commandId: 'c1' }, notHere);
    expect(third).toEqual({ ok: true, tick: 1 });
    expect(b.applied.size).toBe(1);
  });

  it('after the room changes owner, takes the player up again at the new owner (with its token) before the next action', async () => {
    const b = owner('B');
    const c = owner('C');
    let holder = { nodeId: 'B', epoch: 1 };
    const { f } = edge(() => ({ roomCode: 'ROOM', gameId: 'g1', owner: holder }), { B: b, C: c });
    const { socket } = edgeSocket();
    await f.run(socket, 'player:join', { roomCode: 'ROOM', nickname: 'Ann' }, notHere);
    holder = { nodeId: 'C', epoch: 2 }; // B died; C took the room over
    const ack = await f.run(socket, 'player:action', { commandId: 'c9' }, notHere);
    expect(ack).toEqual({ ok: true, tick: 1 });
    expect(c.received).toEqual(['resume tok-1', 'action c9 as p1']);
    expect(c.sent).toEqual(['to sock-1 stream:snapshot {"from":"C"}']);
  });

  it('takes roles up again at a new owner without waiting for an event (checkOwners)', async () => {
    const b = owner('B');
    const c = owner('C');
    let holder = { nodeId: 'B', epoch: 1 };
    const { f } = edge(() => ({ roomCode: 'ROOM', gameId: 'g1', owner: holder }), { B: b, C: c });
    const { socket } = edgeSocket();
    await f.run(socket, 'player:join', { roomCode: 'ROOM', nickname: 'Ann' }, notHere);
    expect(await f.checkOwners()).toBe(0);
    holder = { nodeId: 'C', epoch: 2 };
    expect(await f.checkOwners()).toBe(1);
    expect(c.received).toEqual(['resume tok-1']);
    expect(await f.checkOwners()).toBe(0);
  });

  it('runs events for rooms this process runs, or no open room, here; a room between owners is owner-unavailable', async () => {
    const { socket } = edgeSocket();
    let location: RoomLocation | null = null;
    const { f, calls } = edge(() => location, {});
    expect(await f.run(socket, 'player:join', { roomCode: 'NONE' }, () => Promise.resolve('here'))).toBe(
      'here',
    );
    location = { roomCode: 'ROOM', gameId: 'g1', owner: { nodeId: 'edge', epoch: 3 } };
    const local = new Forwarding({
      nodeId: 'edge',
      isLocal: () => true,
      locate: () => Promise.resolve(location),
      call: () => Promise.reject(new Error('no call expected')),
    });
    expect(await local.run(socket, 'player:join', { roomCode: 'ROOM' }, () => Promise.resolve('here'))).toBe(
      'here',
    );
    location = { roomCode: 'ROOM', gameId: 'g1', owner: null };
    const between = (await f.run(socket, 'player:join', { roomCode: 'ROOM' }, notHere)) as {
      error: { code: string };
    };
    expect(between.error.code).toBe('owner-unavailable');
    expect(calls).toEqual([]);
  });

  it('tells the owner when the socket closes, and the owner detaches its stand-in', async () => {
    const b = owner('B');
    const { f } = edge(() => ({ roomCode: 'ROOM', gameId: 'g1', owner: { nodeId: 'B', epoch: 1 } }), {
      B: b,
    });
    const { socket } = edgeSocket('sock-9');
    await f.run(socket, 'player:join', { roomCode: 'ROOM', nickname: 'Ann' }, notHere);
    f.gone(socket);
    await new Promise((r) => setTimeout(r, 0));
    expect(b.gone).toEqual(['sock-9']);
    expect(b.remote.size).toBe(0);
  });
});

describe('RemoteSocket between events', () => {
  it('sends through the adapter: emits to the socket id, joins and leaves on its process', async () => {
    const sent: string[] = [];
    let s: RemoteSocket | undefined;
    const remote = new RemoteSockets(
      fakeIo(sent),
      (x) => (s = x),
      () => undefined,
    );
    const data = { addr: 'a', device: 'd' };
    await remote.receive({ kind: 'event', socketId: 's2', event: 'none', payload: null, data });
    // Outside an event (the tick loop, a kick), what is done to the stand-in goes out at once.
    s!.emit('stream:proof', { n: 1 });
    s!.leave('students:R');
    s!.disconnect();
    expect(sent).toEqual(['to s2 stream:proof {"n":1}', 'in s2 leave students:R', 'in s2 disconnect']);
  });
});

describe('RemoteSocket with the catch-all listener (as a local socket has, from edge.ts)', () => {
  it('runs an event through it with the stand-in as `this`, and answers with its acknowledgement', async () => {
    const remote = new RemoteSockets(
      fakeIo([]),
      (s) =>
        s.onAny(function (this: IoSocket, event: string, payload: unknown, ack: unknown) {
          (ack as (r: unknown) => void)({ ok: true, event, payload, self: this === s.asSocket() });
        }),
      () => undefined,
    );
    const data = { addr: 'a', device: 'd' };
    const reply = await remote.receive({
      kind: 'event',
      socketId: 's3',
      event: 'player:action',
      payload: { n: 1 },
      data,
    });
    expect(reply?.ack).toEqual({ ok: true, event: 'player:action', payload: { n: 1 }, self: true });
  });
});

describe('RemoteSocket calls its listeners as a Socket.IO 4 socket does (socket.io dist/socket.js onevent)', () => {
  /** A stand-in wired by `wire`, and a way to send it one event. */
  function standIn(wire: (s: RemoteSocket, log: string[]) => void) {
    const log: string[] = [];
    const sent: string[] = [];
    const remote = new RemoteSockets(
      fakeIo(sent),
      (s) => wire(s, log),
      () => undefined,
    );
    const data = { addr: 'a', device: 'd' };
    // No listener answering must fail the test, not hang it (a forwarded event waits for its answer).
    const send = async (event: string, payload: unknown) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        return await Promise.race([
          remote.receive({ kind: 'event', socketId: 's4', event, payload, data }),
          new Promise<never>(
            (_, fail) => (timer = setTimeout(() => fail(new Error('no acknowledgement')), 2000)),
          ),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    return { log, sent, send };
  }

  it('calls every catch-all listener, then every listener of the event, each with the stand-in as `this`; the first answer is the acknowledgement', async () => {
    const { log, send } = standIn((s, log) => {
      s.onAny(function (this: IoSocket, event: string, payload: unknown) {
        log.push(`any1 ${event} ${JSON.stringify(payload)} self=${this === s.asSocket()}`);
      });
      s.on('player:action', function (this: unknown, payload: unknown, ack: unknown) {
        log.push(`on1 ${JSON.stringify(payload)} self=${this === s.asSocket()}`);
        (ack as (r: unknown) => void)({ ok: true, by: 'on1' });
      });
      s.onAny(function (this: IoSocket, event: string, _payload: unknown, ack: unknown) {
        log.push(`any2 ${event} self=${this === s.asSocket()}`);
        (ack as (r: unknown) => void)({ ok: true, by: 'any2' });
      });
      s.on('player:action', function (this: unknown) {
        log.push(`on2 self=${this === s.asSocket()}`);
      });
      s.on('other', () => void log.push('other'));
    });
    const reply = await send('player:action', { n: 1 });
    expect(log).toEqual([
      'any1 player:action {"n":1} self=true',
      'any2 player:action self=true',
      'on1 {"n":1} self=true',
      'on2 self=true',
    ]);
    // Socket.IO's acknowledgement is sent once, by the first call (its `sent` flag); later calls do nothing.
    expect(reply?.ack).toEqual({ ok: true, by: 'any2' });
  });

  it("records what the event's listeners do to its rooms in the answer, whichever kind of listener did it", async () => {
    const { send, sent } = standIn((s) => {
      s.onAny((_event: string, _p: unknown, ack: unknown) => {
        s.join('a');
        (ack as (r: unknown) => void)('done');
      });
      s.on('player:join', () => s.join('b'));
    });
    const reply = await send('player:join', null);
    expect(reply).toMatchObject({ ack: 'done', joins: ['a', 'b'], leaves: [], disconnect: false });
    expect(sent).toEqual([]);
  });

  it("skips the event's listeners when a catch-all listener cut the connection (Socket.IO: not connected any more)", async () => {
    const { log, send } = standIn((s, log) => {
      s.onAny(() => {
        log.push('any');
        s.disconnect();
      });
      s.on('player:action', () => void log.push('on'));
    });
    const reply = await send('player:action', {});
    expect(log).toEqual(['any']);
    expect(reply).toMatchObject({ ack: undefined, disconnect: true });
  });

  it('lists its listeners as Socket.IO does: all of them, in the order they were added', () => {
    const s = new RemoteSocket(fakeIo([]), 's5', { addr: 'a', device: 'd' });
    const a = () => undefined;
    const b = () => undefined;
    s.on('x', a).on('x', b);
    s.onAny(b).onAny(a);
    expect(s.listeners('x')).toEqual([a, b]);
    expect(s.listeners('y')).toEqual([]);
    expect(s.listenersAny()).toEqual([b, a]);
  });
});

describe('the room lookup failing (PostgreSQL or Redis unreachable)', () => {
  const failingLookup = (local: boolean) =>
    new Forwarding({
      nodeId: 'edge',
      isLocal: () => local,
      locate: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      call: () => Promise.reject(new Error('must not forward')),
    });

  it('runs a command for a room this process runs here (the room holds what it cannot save)', async () => {
    const { socket } = edgeSocket();
    socket.data.player = { roomCode: 'ROOM', playerId: 'p1' };
    const ack = await failingLookup(true).run(socket, 'player:action', { commandId: 'c1' }, () =>
      Promise.resolve({ ok: false, error: { code: 'cant-save' } }),
    );
    expect(ack).toEqual({ ok: false, error: { code: 'cant-save' } });
  });

  it('answers the retryable owner-unavailable for a room run elsewhere, not a server error', async () => {
    const { socket } = edgeSocket();
    socket.data.player = { roomCode: 'ROOM', playerId: 'p1' };
    const ack = await failingLookup(false).run(socket, 'player:action', { commandId: 'c1' }, notHere);
    expect(ack).toMatchObject({ ok: false, error: { code: 'owner-unavailable' } });
  });
});
