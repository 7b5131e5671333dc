import fs from 'node:fs';

/**
 * Reads a SQLite write-ahead log before the database is opened (opening it replays and then removes it)
 * and says whether it ends in damage. SQLite itself replays the WAL up to the last complete, checksummed
 * transaction and silently ignores the rest; that is safe for the file's consistency but drops commands the
 * server had acknowledged, so the operator should hear about it. Format: https://www.sqlite.org/fileformat2.html#walformat
 *
 * Returns null when the WAL is absent, empty or whole, otherwise what is wrong in words. A WAL cut exactly
 * at a frame boundary cannot be told from a shorter one and is not reported.
 */
export function inspectWal(walFile: string): string | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(walFile);
  } catch {
    return null;
  }
  if (buf.length === 0) return null;
  if (buf.length < 32) return `the write-ahead log is ${buf.length} bytes, shorter than its header`;
  const magic = buf.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return 'the write-ahead log has no valid header';
  const bigEndian = magic === 0x377f0683;
  const pageSize = buf.readUInt32BE(8);
  const salt1 = buf.readUInt32BE(16);
  const salt2 = buf.readUInt32BE(20);
  let [s0, s1] = checksum(buf, 0, 24, 0, 0, bigEndian);
  if (s0 !== buf.readUInt32BE(24) || s1 !== buf.readUInt32BE(28))
    return 'the write-ahead log header fails its checksum';
  const frameSize = 24 + pageSize;
  let lastCommitEnd = 32;
  let at = 32;
  for (; at + frameSize <= buf.length; at += frameSize) {
    // Frames with other salts are left over from before the log was last restarted: not damage.
    if (buf.readUInt32BE(at + 8) !== salt1 || buf.readUInt32BE(at + 12) !== salt2) break;
    [s0, s1] = checksum(buf, at, 8, s0, s1, bigEndian);
    [s0, s1] = checksum(buf, at + 24, pageSize, s0, s1, bigEndian);
    if (s0 !== buf.readUInt32BE(at + 16) || s1 !== buf.readUInt32BE(at + 20))
      return `the write-ahead log is damaged at byte ${at}: ${buf.length - lastCommitEnd} bytes after the last whole transaction will be ignored`;
    if (buf.readUInt32BE(at + 4) !== 0) lastCommitEnd = at + frameSize;
  }
  if (at < buf.length && at + frameSize > buf.length && (buf.length - 32) % frameSize !== 0)
    return `the write-ahead log is truncated (${buf.length} bytes, not a whole number of ${frameSize}-byte frames): the last transactions in it are lost`;
  return null;
}

/** SQLite's WAL checksum over `len` bytes (a multiple of 8) from `start`, continuing from (s0, s1). */
function checksum(
  buf: Buffer,
  start: number,
  len: number,
  s0: number,
  s1: number,
  bigEndian: boolean,
): [number, number] {
  for (let i = start; i < start + len; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
