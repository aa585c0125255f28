// Reads back the ZIPs zip.mjs writes, for install/release/verify.mjs: the central directory (APPNOTE 4.3.12, 4.3.16),
// each entry's local header, its inflated bytes and their CRC-32. Only what our writer produces (no ZIP64, no
// encryption, no data descriptors); anything else is an error, never a guess.
import { inflateRawSync } from 'node:zlib';
import { crc32 } from './zip.mjs';

function endRecord(buf) {
  for (let o = buf.length - 22; o >= Math.max(0, buf.length - 22 - 0xffff); o--) {
    if (buf.readUInt32LE(o) === 0x06054b50) return { count: buf.readUInt16LE(o + 10), start: buf.readUInt32LE(o + 16) };
  }
  throw new Error('zip: no end of central directory record');
}

function body(buf, e) {
  if (buf.readUInt32LE(e.offset) !== 0x04034b50) throw new Error(`zip: ${e.name}: no local header at ${e.offset}`);
  const from = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const raw = buf.subarray(from, from + e.csize);
  const data = e.method === 8 ? inflateRawSync(raw) : e.method === 0 ? raw : null;
  if (!data) throw new Error(`zip: ${e.name}: compression method ${e.method} is not ours`);
  if (data.length !== e.size || crc32(data) !== e.crc) throw new Error(`zip: ${e.name}: size or CRC-32 does not match`);
  return data;
}

/** Every entry of a ZIP: {name, mode (POSIX, from the external attributes), isDir, data}; throws on any damage. */
export function readZip(buf) {
  const { count, start } = endRecord(buf);
  const out = [];
  let o = start;
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(o) !== 0x02014b50) throw new Error(`zip: central directory entry ${i} is damaged`);
    const nameLen = buf.readUInt16LE(o + 28);
    const e = {
      method: buf.readUInt16LE(o + 10), crc: buf.readUInt32LE(o + 16), csize: buf.readUInt32LE(o + 20), size: buf.readUInt32LE(o + 24),
      name: buf.toString('utf8', o + 46, o + 46 + nameLen), mode: buf.readUInt32LE(o + 38) >>> 16, offset: buf.readUInt32LE(o + 42),
    };
    o += 46 + nameLen + buf.readUInt16LE(o + 30) + buf.readUInt16LE(o + 32);
    const isDir = e.name.endsWith('/');
    out.push({ name: e.name, mode: e.mode, isDir, data: isDir ? Buffer.alloc(0) : body(buf, e) });
  }
  return out;
}
