// A small, deterministic ZIP writer for the Windows release archive (issue 20), so the release needs no `zip` binary
// and no new dependency. Format: PKWARE APPNOTE.TXT (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT):
// local file headers (4.3.7), the central directory (4.3.12) and its end record (4.3.16). Deflate comes from
// node:zlib. "Version made by" says UNIX (4.4.2), so the external attributes carry the POSIX mode in their high 16 bits,
// as Info-ZIP writes them and Python's zipfile and unzip read them. No ZIP64: every size and offset must fit 32 bits,
// otherwise writeZip throws (our archive is far below 4 GiB).
import { closeSync, openSync, writeSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, the one ZIP and gzip use) of a buffer. */
export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time (APPNOTE 4.4.6) of a Date, read in UTC so the archive does not depend on the builder's zone. */
export function dosDateTime(date) {
  const y = Math.max(1980, date.getUTCFullYear());
  return {
    date: ((y - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  };
}

const u32 = (n, what) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`zip: ${what} ${n} does not fit 32 bits (no ZIP64 support)`);
  return n;
};

/** Pure: validates an entry name (forward slashes, relative, no `..`, a trailing slash exactly for directories). */
export function checkName(name, isDir) {
  const parts = name.replace(/\/$/, '').split('/');
  if (!name || name.startsWith('/') || name.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`zip: bad entry name ${JSON.stringify(name)}`);
  }
  if (isDir !== name.endsWith('/')) throw new Error(`zip: ${JSON.stringify(name)}: directory names end in "/", file names do not`);
}

/** One entry's compressed body, reused for identical contents (the Windows archive holds three copies of one exe). */
function compress(data, memo) {
  const hit = memo.get(data);
  if (hit) return hit;
  const deflated = data.length ? deflateRawSync(data) : Buffer.alloc(0);
  // Stored (method 0) when deflate does not help, as zip tools do.
  const body = deflated.length < data.length ? { method: 8, bytes: deflated } : { method: 0, bytes: data };
  const out = { ...body, crc: crc32(data), size: data.length };
  memo.set(data, out);
  return out;
}

function header(sig, fields) {
  const size = fields.reduce((n, [w]) => n + w, 4);
  const b = Buffer.alloc(size);
  b.writeUInt32LE(sig, 0);
  let o = 4;
  for (const [w, v] of fields) {
    if (w === 2) b.writeUInt16LE(v, o);
    else b.writeUInt32LE(v, o);
    o += w;
  }
  return b;
}

/** The fields local and central headers share (APPNOTE 4.4.3-4.4.11). */
function common(e, when) {
  return [[2, 20], [2, 0x0800], [2, e.method], [2, when.time], [2, when.date], [4, e.crc], [4, u32(e.bytes.length, 'size')],
    [4, u32(e.size, 'size')], [2, e.nameBytes.length], [2, 0]];
}

/**
 * Writes a ZIP to `file`. entries: [{name, data?: Buffer, mode}] in the order given (sort them yourself for a stable
 * archive); a name ending in "/" is a directory. mtime: one Date for every entry.
 */
export function writeZip(file, entries, mtime) {
  const when = dosDateTime(mtime);
  const memo = new Map();
  const fd = openSync(file, 'w');
  let offset = 0;
  const put = (buf) => { writeSync(fd, buf); offset += buf.length; };
  const central = [];
  try {
    for (const entry of entries) {
      const isDir = entry.name.endsWith('/');
      checkName(entry.name, isDir);
      const body = isDir ? { method: 0, bytes: Buffer.alloc(0), crc: 0, size: 0 } : compress(entry.data, memo);
      const e = { ...body, nameBytes: Buffer.from(entry.name, 'utf8'), offset: u32(offset, 'offset') };
      const type = isDir ? 0o040000 : 0o100000;
      e.attrs = (((type | (entry.mode & 0o7777)) << 16) | (isDir ? 0x10 : 0)) >>> 0;
      put(header(0x04034b50, common(e, when)));
      put(e.nameBytes);
      put(e.bytes);
      central.push(e);
    }
    const start = offset;
    for (const e of central) {
      // Version made by 0x031e: UNIX (3), spec 3.0; then comment length, disk 0, internal attributes, external, offset.
      put(header(0x02014b50, [[2, 0x031e], ...common(e, when), [2, 0], [2, 0], [2, 0], [4, e.attrs], [4, e.offset]]));
      put(e.nameBytes);
    }
    const n = central.length;
    if (n > 0xffff) throw new Error('zip: more than 65535 entries (no ZIP64 support)');
    put(header(0x06054b50, [[2, 0], [2, 0], [2, n], [2, n], [4, u32(offset - start, 'size')], [4, u32(start, 'offset')], [2, 0]]));
  } finally {
    closeSync(fd);
  }
}
