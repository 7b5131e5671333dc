import { describe, expect, it } from 'vitest';
import net from 'node:net';
import * as ws from 'ws';
import { Encoder, PacketType } from 'socket.io-parser';
import {
  holdWrites,
  preEncode,
  preEncodeAck,
  sendPreEncoded,
} from '../../server/sockets/pre-encoded-frame.ts';
import type { IoSocket } from '../../server/sockets/types.ts';

/** The packet Socket.IO's parser makes for an event (what its broadcast puts in the frame after "4"). */
function socketIoPacket(event: string, payload: unknown): string {
  const [packet] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: [event, payload] }) as [
    string,
  ];
  return packet;
}

/** Reads a server's websocket frame as RFC 6455 section 5.2 lays it out: flags, opcode, length, data. */
function readFrame(frame: Buffer): { fin: boolean; opcode: number; masked: boolean; data: Buffer } {
  const len7 = frame[1]! & 0x7f;
  const [length, start] =
    len7 < 126
      ? [len7, 2]
      : len7 === 126
        ? [frame.readUInt16BE(2), 4]
        : [Number(frame.readBigUInt64BE(2)), 10];
  expect(frame.length, 'the frame holds exactly its data').toBe(start + length);
  return {
    fin: (frame[0]! & 0x80) !== 0,
    opcode: frame[0]! & 0x0f,
    masked: (frame[1]! & 0x80) !== 0,
    data: frame.subarray(start),
  };
}

describe('a message encoded once for every connection', () => {
  const payloadOf = (n: number): object => ({ v: 1, text: 'x'.repeat(n), entries: [{ cmd: { type: 'é' } }] });
  // Bytes of the frame's data besides the text (the é is two bytes in UTF-8, one character).
  const overhead = Buffer.byteLength(`4${socketIoPacket('stream:tick', payloadOf(0))}`);
  // The three length forms of a websocket frame (7 bits, 16 bits, 64 bits) and the edges between them.
  const lengths = [overhead, 125, 126, 65_535, 65_536, 70_000];
  it.each(lengths)("is Socket.IO's packet in one final, unmasked text frame (%i bytes of data)", (bytes) => {
    const payload = payloadOf(bytes - overhead);
    const mine = preEncode('stream:tick', payload);
    expect(mine.frame).toHaveLength(1);
    expect(mine.packet).toBe(socketIoPacket('stream:tick', payload));
    const f = readFrame(mine.frame[0]);
    expect(f.data.length).toBe(bytes);
    expect(f).toMatchObject({ fin: true, opcode: 1, masked: false });
    expect(f.data.toString()).toBe(`4${mine.packet}`);
    // Byte for byte what ws frames for Socket.IO's broadcast (its in-memory adapter's options).
    const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } };
    const opts = { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true };
    expect(mine.frame[0].equals(Buffer.concat(Sender.frame(Buffer.from(`4${mine.packet}`), opts)))).toBe(
      true,
    );
  });
});

describe('an acknowledgement encoded as a ready frame (ready-acks.ts)', () => {
  const replyOf = (n: number): object => ({
    ok: false,
    error: { code: 'invalid-payload', message: 'é'.repeat(n) },
  });
  it.each([
    [0, 0],
    [7, 40],
    [123_456, 200],
    [42, 70_000],
  ])("is Socket.IO's acknowledgement packet %i in ws's frame (%i characters of message)", (id, n) => {
    const args = [replyOf(n)];
    const mine = preEncodeAck(id, args);
    // What Socket.IO's ack callback has its parser encode (socket.ts `ack`: type ACK, the id, the arguments).
    const [packet] = new Encoder().encode({ type: PacketType.ACK, nsp: '/', id, data: args }) as [string];
    expect(mine.packet).toBe(packet);
    const f = readFrame(mine.frame[0]);
    expect(f).toMatchObject({ fin: true, opcode: 1, masked: false });
    expect(f.data.toString()).toBe(`4${packet}`);
    const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } };
    const opts = { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true };
    expect(mine.frame[0].equals(Buffer.concat(Sender.frame(Buffer.from(`4${packet}`), opts)))).toBe(true);
  });
});

describe("writes held for the work in hand (a player's command, then the tick message)", () => {
  it('leave in one system write, the same bytes in the same order', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const received: Buffer[] = [];
    server.on('connection', (c) => c.on('data', (d: Buffer) => received.push(d)));
    const port = (server.address() as net.AddressInfo).port;
    const out = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => out.once('connect', r));
    // What sendPreEncoded sees of a Socket.IO connection on a websocket (the fields it checks).
    const { Sender } = ws as unknown as { Sender: new (s: net.Socket) => object };
    const socket = {
      connected: true,
      conn: {
        readyState: 'open',
        upgrading: false,
        writeBuffer: [],
        transport: { name: 'websocket', socket: { readyState: 1, _socket: out, _sender: new Sender(out) } },
      },
    } as unknown as IoSocket;
    // Every system write of this socket (one writev for what was corked, a write otherwise).
    let writes = 0;
    let writevs = 0;
    const raw = out as unknown as { _writev: (...a: unknown[]) => void; _write: (...a: unknown[]) => void };
    const [writev, write] = [raw._writev.bind(out), raw._write.bind(out)];
    raw._writev = (...a) => (writes++, writevs++, writev(...a));
    raw._write = (...a) => (writes++, write(...a));
    const command = preEncode('stream:command', { seq: 1 });
    const tick = preEncode('stream:tick', { from: 1, to: 2 });

    sendPreEncoded(socket, command);
    sendPreEncoded(socket, tick);
    expect(writes).toBe(2);
    expect(writevs, 'a frame alone is one buffer: a plain write, no cork and writev').toBe(0);
    holdWrites(socket);
    sendPreEncoded(socket, command);
    sendPreEncoded(socket, tick);
    expect(writes).toBe(2); // held until the work in hand is done
    await new Promise<void>((r) => process.nextTick(r));
    expect(writes, 'still held after the next tick of the process').toBe(2);
    await new Promise<void>((r) => setImmediate(r));
    expect(writes).toBe(3);

    // A command applied at the tick boundary: the store's transaction runs in an immediate queued before
    // the hold (RoomRuntime commits, then publishes), and the acknowledgement it settles is written in a
    // promise callback after it: it joins the command and the tick message in the same write.
    const ack = preEncodeAck(7, [{ ok: true, tick: 2 }]);
    setImmediate(() => void Promise.resolve().then(() => sendPreEncoded(socket, ack)));
    holdWrites(socket);
    sendPreEncoded(socket, command);
    sendPreEncoded(socket, tick);
    await new Promise<void>((r) => setImmediate(r));
    expect(writes).toBe(4);
    expect(writevs).toBe(2);

    const expected = Buffer.concat([
      ...[command, tick, command, tick, command, tick, ack].flatMap((m) => m.frame),
    ]);
    while (Buffer.concat(received).length < expected.length) await new Promise((r) => setTimeout(r, 5));
    expect(Buffer.concat(received).equals(expected)).toBe(true);
    out.destroy();
    await new Promise((r) => server.close(r));
  });
});
