// Pure encoders for the ad-hoc code signature blobs (issue 20), big-endian as xnu osfmk/kern/cs_blobs.h lays them
// out and as `codesign -s -` writes them for a plain executable: a SuperBlob holding a CodeDirectory, an empty
// Requirements set and an empty CMS wrapper (ad-hoc means no CMS signature, the CodeDirectory hash is the identity).
import { createHash } from 'node:crypto';
import {
  CSMAGIC_BLOBWRAPPER, CSMAGIC_CODEDIRECTORY, CSMAGIC_EMBEDDED_SIGNATURE, CSMAGIC_REQUIREMENTS,
  CSSLOT_CODEDIRECTORY, CSSLOT_REQUIREMENTS, CSSLOT_SIGNATURESLOT,
} from './macho-parse.mjs';

export const PAGE_SIZE = 4096;
export const HASH_SIZE = 32;
export const CS_HASHTYPE_SHA256 = 2;
export const CS_ADHOC = 0x2;
export const CS_LINKER_SIGNED = 0x20000;
export const CS_EXECSEG_MAIN_BINARY = 0x1;
/** Version with the execSeg fields (cs_blobs.h CS_SUPPORTSEXECSEG), the one ld64 and codesign write today. */
export const CD_VERSION = 0x20400;
const CD_HEADER = 88;
/** Special slots written: -1 Info.plist (none, all zero) and -2 Requirements, as codesign writes for a bare binary. */
export const SPECIAL_SLOTS = 2;

/** @param {Buffer} b */
export const sha256 = (b) => createHash('sha256').update(b).digest();

/** Pure: number of code pages hashed for `codeLimit` bytes (the last page may be partial). */
export function pageCount(/** @type {number} */ codeLimit, pageSize = PAGE_SIZE) {
  if (!Number.isSafeInteger(codeLimit) || codeLimit < 0) throw new Error(`macho: bad codeLimit ${codeLimit}`);
  return Math.ceil(codeLimit / pageSize);
}

/** SHA-256 of each page of buf[0, codeLimit), the last one only up to codeLimit. */
export function pageHashes(/** @type {Buffer} */ buf, /** @type {number} */ codeLimit, pageSize = PAGE_SIZE) {
  const n = pageCount(codeLimit, pageSize);
  const out = Buffer.alloc(n * HASH_SIZE);
  for (let i = 0; i < n; i++) {
    sha256(buf.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit))).copy(out, i * HASH_SIZE);
  }
  return out;
}

/** Pure: the empty Requirements set (magic, length 12, count 0), what `codesign -s -` embeds. */
export function requirementsBlob() {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0);
  b.writeUInt32BE(12, 4);
  return b;
}

/** Pure: the empty CMS BlobWrapper (magic, length 8): ad-hoc signatures carry no CMS data. */
export function cmsBlob() {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(CSMAGIC_BLOBWRAPPER, 0);
  b.writeUInt32BE(8, 4);
  return b;
}

/**
 * @typedef {{ identifier: string, codeLimit: number, execSegBase: number, execSegLimit: number, execSegFlags: number,
 *   hashes: Buffer, requirementsHash: Buffer }} CdInput
 */

/** Pure: byte length of the CodeDirectory for an identifier and a codeLimit (needed before hashing, for layout). */
export function codeDirectorySize(/** @type {string} */ identifier, /** @type {number} */ codeLimit) {
  return CD_HEADER + Buffer.byteLength(identifier) + 1 + (SPECIAL_SLOTS + pageCount(codeLimit)) * HASH_SIZE;
}

/** Pure: check an identifier the way a bundle id is spelled; codesign would take more, but a NUL would truncate it. */
export function checkIdentifier(/** @type {string} */ id) {
  if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(id)) {
    throw new Error(`macho: identifier ${JSON.stringify(id)} is not valid; use letters, digits, '.', '_' or '-', like com.example.tool`);
  }
}

/** Pure: encode a CodeDirectory version 0x20400 (ad-hoc, SHA-256, 4 KiB pages, not linker-signed). @param {CdInput} c */
export function codeDirectory(c) {
  checkIdentifier(c.identifier);
  const n = pageCount(c.codeLimit);
  if (c.hashes.length !== n * HASH_SIZE) throw new Error(`macho: ${c.hashes.length / HASH_SIZE} page hashes for ${n} pages`);
  if (c.codeLimit > 0xffffffff) throw new Error('macho: binaries over 4 GiB need codeLimit64, which this signer does not write');
  const size = codeDirectorySize(c.identifier, c.codeLimit);
  const id = Buffer.from(`${c.identifier}\0`, 'utf8');
  const hashOffset = CD_HEADER + id.length + SPECIAL_SLOTS * HASH_SIZE;
  const b = Buffer.alloc(size);
  [CSMAGIC_CODEDIRECTORY, size, CD_VERSION, CS_ADHOC, hashOffset, CD_HEADER, SPECIAL_SLOTS, n, c.codeLimit]
    .forEach((v, i) => b.writeUInt32BE(v, i * 4));
  b[36] = HASH_SIZE; b[37] = CS_HASHTYPE_SHA256; b[38] = 0; b[39] = Math.log2(PAGE_SIZE);
  // 40 spare2, 44 scatterOffset, 48 teamOffset, 52 spare3, 56 codeLimit64: all zero for an ad-hoc binary < 4 GiB.
  b.writeBigUInt64BE(BigInt(c.execSegBase), 64);
  b.writeBigUInt64BE(BigInt(c.execSegLimit), 72);
  b.writeBigUInt64BE(BigInt(c.execSegFlags), 80);
  id.copy(b, CD_HEADER);
  // Slot -1 (Info.plist) stays zero: a bare executable has none. Slot -2 is the Requirements blob's hash.
  c.requirementsHash.copy(b, hashOffset - 2 * HASH_SIZE);
  c.hashes.copy(b, hashOffset);
  return b;
}

/** Pure: wrap [type, blob] pairs in an embedded-signature SuperBlob (12-byte header, 8-byte index entries). */
export function superBlob(/** @type {[number, Buffer][]} */ entries) {
  const head = 12 + entries.length * 8;
  const total = entries.reduce((n, [, blob]) => n + blob.length, head);
  const b = Buffer.alloc(total);
  b.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  b.writeUInt32BE(total, 4);
  b.writeUInt32BE(entries.length, 8);
  let off = head;
  entries.forEach(([type, blob], i) => {
    b.writeUInt32BE(type, 12 + i * 8);
    b.writeUInt32BE(off, 16 + i * 8);
    blob.copy(b, off);
    off += blob.length;
  });
  return b;
}

/** Pure: byte length of the whole ad-hoc SuperBlob, known before any page is hashed. */
export function signatureSize(/** @type {string} */ identifier, /** @type {number} */ codeLimit) {
  return 12 + 3 * 8 + codeDirectorySize(identifier, codeLimit) + requirementsBlob().length + cmsBlob().length;
}

/** Pure: the ad-hoc signature for a CodeDirectory input (without requirementsHash, which is derived here). */
export function adHocSignature(/** @type {Omit<CdInput, 'requirementsHash'>} */ c) {
  const req = requirementsBlob();
  const cd = codeDirectory({ ...c, requirementsHash: sha256(req) });
  return superBlob([[CSSLOT_CODEDIRECTORY, cd], [CSSLOT_REQUIREMENTS, req], [CSSLOT_SIGNATURESLOT, cmsBlob()]]);
}
