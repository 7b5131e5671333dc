import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { Encoder, PacketType } from 'socket.io-parser';
import { preEncode } from '../../server/sockets/pre-encoded-frame.ts';

/** What Socket.IO's broadcast writes for an event: its parser's packet, framed by ws (in-memory-adapter). */
function socketIoBroadcast(event: string, payload: unknown): { packet: string; frame: Buffer } {
  const [packet] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: [event, payload] }) as [
    string,
  ];
  const { Sender } = ws as unknown as { Sender: { frame(d: Buffer, o: object): Buffer[] } };
  const list = Sender.frame(Buffer.from(`4${packet}`), {
    readOnly: false,
    mask: false,
    rsv1: false,
    opcode: 1,
    fin: true,
  });
  return { packet, frame: Buffer.concat(list) };
}

describe('a message encoded once for every connection', () => {
  const payloadOf = (n: number): object => ({ v: 1, text: 'x'.repeat(n), entries: [{ cmd: { type: 'é' } }] });
  // Bytes of the frame's data besides the text (the é is two bytes in UTF-8, one character).
  const overhead = Buffer.byteLength(`4${socketIoBroadcast('stream:tick', payloadOf(0)).packet}`);
  // The three length forms of a websocket frame (7 bits, 16 bits, 64 bits) and the edges between them.
  const lengths = [overhead, 125, 126, 65_535, 65_536, 70_000];
  it.each(lengths)('is byte for byte what a Socket.IO broadcast writes (%i bytes of data)', (bytes) => {
    const payload = payloadOf(bytes - overhead);
    const mine = preEncode('stream:tick', payload);
    const theirs = socketIoBroadcast('stream:tick', payload);
    expect(mine.frame[1].length).toBe(bytes);
    expect(mine.packet).toBe(theirs.packet);
    expect(Buffer.concat(mine.frame).equals(theirs.frame)).toBe(true);
  });
});
