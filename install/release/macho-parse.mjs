// Reading thin 64-bit Mach-O files and their code signature blobs (issue 20), for install/release/macho-sign.mjs.
// Layouts follow Apple's <mach-o/loader.h> (little-endian header and load commands on x86_64/arm64) and
// xnu osfmk/kern/cs_blobs.h (code signature blobs, always big-endian). Every read is bounds-checked: a release
// step must fail with a clear message on a truncated or foreign file, never read past the buffer or loop.

export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_EXECUTE = 0x2;
export const CPU_X86_64 = 0x01000007;
export const CPU_ARM64 = 0x0100000c;
export const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;
export const CSMAGIC_REQUIREMENTS = 0xfade0c01;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
export const CSSLOT_CODEDIRECTORY = 0;
export const CSSLOT_REQUIREMENTS = 2;
export const CSSLOT_SIGNATURESLOT = 0x10000;

const HEADER_64 = 32;

/** @param {string} what */
const bad = (what) => new Error(`macho: ${what}; is this a thin 64-bit macOS executable (x86_64 or arm64)?`);

/** Bounds-checked read of `size` bytes at `off`; throws a clear Error instead of a RangeError. */
function need(/** @type {Buffer} */ buf, /** @type {number} */ off, /** @type {number} */ size, /** @type {string} */ what) {
  if (!Number.isSafeInteger(off) || off < 0 || size < 0 || off + size > buf.length) {
    throw bad(`${what} at offset ${off} (+${size}) lies outside the ${buf.length}-byte file`);
  }
}

/** @param {Buffer} buf @param {number} off */
const u64 = (buf, off) => {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`64-bit field at ${off} is too large`);
  return Number(v);
};

/** Pure: why a header is refused, with the remedy (fat and 32-bit files need lipo/thin builds first). */
function checkMagic(/** @type {Buffer} */ buf) {
  need(buf, 0, HEADER_64, 'Mach-O header');
  const be = buf.readUInt32BE(0);
  if (be === 0xcafebabe || be === 0xcafebabf) throw new Error('macho: fat (universal) binaries are not supported; sign each thin slice (lipo -thin)');
  const le = buf.readUInt32LE(0);
  if (le === 0xfeedface || be === 0xfeedface) throw new Error('macho: 32-bit Mach-O is not supported; only 64-bit x86_64 and arm64');
  if (le !== MH_MAGIC_64) throw bad(`bad magic 0x${le.toString(16)}`);
  const cpu = buf.readUInt32LE(4);
  if (cpu !== CPU_X86_64 && cpu !== CPU_ARM64) throw bad(`unsupported cputype 0x${cpu.toString(16)}`);
  return cpu;
}

/**
 * @typedef {{ name: string, lcOffset: number, vmaddr: number, vmsize: number, fileoff: number, filesize: number }} Segment
 * @typedef {{ lcOffset: number, dataoff: number, datasize: number }} CodeSigCommand
 * @typedef {{ cpu: number, filetype: number, ncmds: number, sizeofcmds: number,
 *   segments: Segment[], codeSignature?: CodeSigCommand }} MachO
 */

/** @param {Buffer} buf @param {number} off @returns {Segment} */
function readSegment(buf, off) {
  need(buf, off, 72, 'LC_SEGMENT_64');
  const raw = buf.subarray(off + 8, off + 24);
  const nul = raw.indexOf(0);
  const name = raw.subarray(0, nul < 0 ? 16 : nul).toString('latin1');
  return { name, lcOffset: off, vmaddr: u64(buf, off + 24), vmsize: u64(buf, off + 32), fileoff: u64(buf, off + 40), filesize: u64(buf, off + 48) };
}

/** Parse the header and the load commands this signer needs (segments, LC_CODE_SIGNATURE). */
export function parseMachO(/** @type {Buffer} */ buf) {
  const cpu = checkMagic(buf);
  const filetype = buf.readUInt32LE(12);
  const ncmds = buf.readUInt32LE(16);
  const sizeofcmds = buf.readUInt32LE(20);
  need(buf, HEADER_64, sizeofcmds, 'load commands');
  /** @type {MachO} */
  const m = { cpu, filetype, ncmds, sizeofcmds, segments: [] };
  let off = HEADER_64;
  const end = HEADER_64 + sizeofcmds;
  for (let i = 0; i < ncmds; i++) {
    if (off + 8 > end) throw bad(`load command ${i} starts past sizeofcmds`);
    const cmd = buf.readUInt32LE(off);
    const size = buf.readUInt32LE(off + 4);
    if (size < 8 || size % 8 !== 0 || off + size > end) throw bad(`load command ${i} has bad cmdsize ${size}`);
    if (cmd === LC_SEGMENT_64) m.segments.push(readSegment(buf, off));
    if (cmd === LC_CODE_SIGNATURE) {
      if (size < 16) throw bad('LC_CODE_SIGNATURE is too short');
      if (m.codeSignature) throw bad('more than one LC_CODE_SIGNATURE');
      m.codeSignature = { lcOffset: off, dataoff: buf.readUInt32LE(off + 8), datasize: buf.readUInt32LE(off + 12) };
    }
    off += size;
  }
  return m;
}

/** @param {MachO} m @param {string} name */
export const segment = (m, name) => m.segments.find((s) => s.name === name);

/**
 * Parse a SuperBlob (big-endian) at buf[0..]: its index of {type, offset} with each blob's magic and bytes.
 * @param {Buffer} buf
 */
export function parseSuperBlob(buf) {
  need(buf, 0, 12, 'SuperBlob header');
  const magic = buf.readUInt32BE(0);
  if (magic !== CSMAGIC_EMBEDDED_SIGNATURE) throw bad(`signature magic 0x${magic.toString(16)} is not an embedded SuperBlob`);
  const length = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (length > buf.length || length < 12 + count * 8) throw bad(`SuperBlob length ${length} does not fit its ${count} entries`);
  const blobs = [];
  for (let i = 0; i < count; i++) {
    const type = buf.readUInt32BE(12 + i * 8);
    const offset = buf.readUInt32BE(16 + i * 8);
    need(buf.subarray(0, length), offset, 8, `blob ${i} header`);
    const blen = buf.readUInt32BE(offset + 4);
    if (blen < 8) throw bad(`blob ${i} has length ${blen}`);
    need(buf.subarray(0, length), offset, blen, `blob ${i}`);
    blobs.push({ type, offset, magic: buf.readUInt32BE(offset), bytes: buf.subarray(offset, offset + blen) });
  }
  return { length, blobs };
}

/**
 * Parse a CodeDirectory blob (versions 0x20001..0x20400 fields; later versions' extra fields are ignored).
 * @param {Buffer} cd the blob's own bytes
 */
export function parseCodeDirectory(cd) {
  need(cd, 0, 44, 'CodeDirectory header');
  if (cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw bad('CodeDirectory magic is wrong');
  const version = cd.readUInt32BE(8);
  const f = {
    version, flags: cd.readUInt32BE(12), hashOffset: cd.readUInt32BE(16), identOffset: cd.readUInt32BE(20),
    nSpecialSlots: cd.readUInt32BE(24), nCodeSlots: cd.readUInt32BE(28), codeLimit: cd.readUInt32BE(32),
    hashSize: cd[36] ?? 0, hashType: cd[37] ?? 0, platform: cd[38] ?? 0, pageSizeLog2: cd[39] ?? 0,
    teamOffset: 0, codeLimit64: 0, execSegBase: 0, execSegLimit: 0, execSegFlags: 0,
  };
  if (version >= 0x20200) { need(cd, 48, 4, 'teamOffset'); f.teamOffset = cd.readUInt32BE(48); }
  if (version >= 0x20300) { need(cd, 56, 8, 'codeLimit64'); f.codeLimit64 = Number(cd.readBigUInt64BE(56)); }
  if (version >= 0x20400) {
    need(cd, 64, 24, 'execSeg fields');
    f.execSegBase = Number(cd.readBigUInt64BE(64));
    f.execSegLimit = Number(cd.readBigUInt64BE(72));
    f.execSegFlags = Number(cd.readBigUInt64BE(80));
  }
  need(cd, f.identOffset, 1, 'identifier');
  const nul = cd.indexOf(0, f.identOffset);
  if (nul < 0) throw bad('CodeDirectory identifier is not NUL-terminated');
  const identifier = cd.subarray(f.identOffset, nul).toString('utf8');
  need(cd, f.hashOffset - f.nSpecialSlots * f.hashSize, (f.nSpecialSlots + f.nCodeSlots) * f.hashSize, 'hash slots');
  return { ...f, identifier };
}

/** @param {Buffer} cd @param {ReturnType<typeof parseCodeDirectory>} f @param {number} slot negative for special slots */
export const slotHash = (cd, f, slot) => cd.subarray(f.hashOffset + slot * f.hashSize, f.hashOffset + (slot + 1) * f.hashSize);
