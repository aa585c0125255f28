// Ad-hoc code signing of darwin executables on Linux (issue 20). macOS on arm64 kills an unsigned or badly signed
// executable at exec, and `bun build --compile` for darwin-x64 leaves Bun's own Developer ID signature in place over
// changed bytes, so every darwin release binary is re-signed here the way `codesign -s - <file>` signs it: a SuperBlob
// (CodeDirectory with SHA-256 hashes of 4 KiB pages, empty Requirements, empty CMS wrapper) at the end of __LINKEDIT.
// No npm package signs Mach-O without Apple's codesign (@electron/osx-sign shells out to it), hence this module.
//
//   node install/release/macho-sign.mjs sign <file> --identifier <id>   re-sign in place (temp file + rename)
//   node install/release/macho-sign.mjs verify <file>...                exit 1 and the problems on stderr if any
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CPU_ARM64, CSSLOT_CODEDIRECTORY, MH_EXECUTE, parseCodeDirectory, parseMachO, parseSuperBlob, segment, slotHash } from './macho-parse.mjs';
import {
  CD_VERSION, CS_ADHOC, CS_EXECSEG_MAIN_BINARY, CS_HASHTYPE_SHA256, HASH_SIZE, PAGE_SIZE,
  adHocSignature, checkIdentifier, pageCount, pageHashes, sha256, signatureSize,
} from './macho-blob.mjs';

/** @param {number} n @param {number} a */
const alignUp = (n, a) => Math.ceil(n / a) * a;

/**
 * Where the new signature goes: the load commands to patch and the segments it depends on, or a clear Error.
 * @param {Buffer} buf
 */
function layout(buf) {
  const m = parseMachO(buf);
  const cs = m.codeSignature;
  const text = segment(m, '__TEXT');
  const le = segment(m, '__LINKEDIT');
  if (!cs) throw new Error('macho: no LC_CODE_SIGNATURE load command to fill; link with ld -adhoc_codesign (Bun and ld64 do by default)');
  if (!text || !le) throw new Error('macho: __TEXT or __LINKEDIT segment missing; not a linked executable');
  if (m.segments.some((s) => s !== le && (s.vmaddr > le.vmaddr || s.fileoff + s.filesize > le.fileoff + le.filesize))) {
    throw new Error('macho: __LINKEDIT is not the last segment, so the signature cannot grow it');
  }
  if (cs.dataoff < le.fileoff || cs.dataoff + cs.datasize !== buf.length || le.fileoff + le.filesize !== buf.length) {
    throw new Error('macho: the old signature does not end the file inside __LINKEDIT; refusing to drop the bytes after it');
  }
  return { m, cs, text, le };
}

/**
 * Return a copy of a thin 64-bit Mach-O with its signature replaced by a fresh ad-hoc one named `identifier`.
 * @param {Buffer} buf
 * @param {string} identifier
 * @returns {Buffer}
 */
export function signAdHoc(buf, identifier) {
  checkIdentifier(identifier);
  const { m, cs, text, le } = layout(buf);
  const codeLimit = alignUp(cs.dataoff, 16);
  const size = signatureSize(identifier, codeLimit);
  const out = Buffer.alloc(codeLimit + size);
  buf.copy(out, 0, 0, cs.dataoff);
  out.writeUInt32LE(codeLimit, cs.lcOffset + 8);
  out.writeUInt32LE(size, cs.lcOffset + 12);
  // __LINKEDIT must cover the signature; vmsize rounds up to the page size the kernel maps (16 KiB on arm64).
  const filesize = out.length - le.fileoff;
  out.writeBigUInt64LE(BigInt(alignUp(filesize, m.cpu === CPU_ARM64 ? 0x4000 : 0x1000)), le.lcOffset + 32);
  out.writeBigUInt64LE(BigInt(filesize), le.lcOffset + 48);
  // The page hashes cover the load commands as patched above, so hash only now.
  const sig = adHocSignature({
    identifier, codeLimit, hashes: pageHashes(out, codeLimit), execSegBase: text.fileoff, execSegLimit: text.filesize,
    execSegFlags: m.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0,
  });
  if (sig.length !== size) throw new Error(`macho: internal error, signature is ${sig.length} bytes, planned ${size}`);
  sig.copy(out, codeLimit);
  return out;
}

/**
 * Problems of the page hashes: how many differ and the first one.
 * @param {Buffer} buf @param {Buffer} cd @param {ReturnType<typeof parseCodeDirectory>} f
 */
function pageProblems(buf, cd, f) {
  const want = pageHashes(buf, Math.min(f.codeLimit, buf.length));
  let bad = 0;
  let first = -1;
  for (let i = 0; i < f.nCodeSlots; i++) {
    if (!slotHash(cd, f, i).equals(want.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))) { bad++; if (first < 0) first = i; }
  }
  return bad ? [`${bad} of ${f.nCodeSlots} page hashes do not match (first at page ${first}, offset ${first * PAGE_SIZE})`] : [];
}

/** Problems of the CodeDirectory's fixed fields. @param {ReturnType<typeof parseCodeDirectory>} f @param {number} sigOff */
function fieldProblems(f, sigOff, /** @type {import('./macho-parse.mjs').Segment} */ text) {
  const p = [];
  if (f.hashType !== CS_HASHTYPE_SHA256 || f.hashSize !== HASH_SIZE) p.push(`hash type ${f.hashType} size ${f.hashSize} is not SHA-256`);
  if (f.pageSizeLog2 !== 12) p.push(`page size 2^${f.pageSizeLog2} is not 4096`);
  if (!(f.flags & CS_ADHOC)) p.push(`CodeDirectory flags 0x${f.flags.toString(16)} lack adhoc (0x2): not an ad-hoc signature`);
  if (f.codeLimit !== sigOff) {
    p.push(`codeLimit ${f.codeLimit} is not the signature offset ${sigOff}: ${sigOff - f.codeLimit} bytes are not covered`);
  }
  if (f.nCodeSlots !== pageCount(f.codeLimit)) p.push(`${f.nCodeSlots} code slots for ${pageCount(f.codeLimit)} pages`);
  if (f.version >= CD_VERSION && (f.execSegBase !== text.fileoff || f.execSegLimit !== text.filesize)) {
    p.push(`execSeg ${f.execSegBase}+${f.execSegLimit} is not __TEXT ${text.fileoff}+${text.filesize}`);
  }
  return p;
}

/** Problems of the special slots: each of Requirements (2), Entitlements (5, 7)... must hash to its slot. */
function specialProblems(/** @type {ReturnType<typeof parseSuperBlob>} */ sb, /** @type {Buffer} */ cd, /** @type {any} */ f) {
  const p = [];
  for (const b of sb.blobs) {
    if (b.type === CSSLOT_CODEDIRECTORY || b.type >= 0x1000) continue;
    if (b.type > f.nSpecialSlots) p.push(`blob of slot ${b.type} has no special slot hash`);
    else if (!slotHash(cd, f, -b.type).equals(sha256(b.bytes))) p.push(`special slot ${b.type} hash does not match its blob`);
  }
  return p;
}

/** Problems of the container: LC_CODE_SIGNATURE, __LINKEDIT and the file end. */
function containerProblems(/** @type {Buffer} */ buf, /** @type {import('./macho-parse.mjs').MachO} */ m) {
  const cs = m.codeSignature;
  const le = segment(m, '__LINKEDIT');
  if (!cs) return ['no LC_CODE_SIGNATURE: the binary is unsigned'];
  const p = [];
  if (cs.dataoff + cs.datasize !== buf.length) p.push(`the file does not end with the signature (${buf.length - cs.dataoff - cs.datasize} bytes after it)`);
  if (!le || le.fileoff > cs.dataoff || le.fileoff + le.filesize < cs.dataoff + cs.datasize) p.push('__LINKEDIT does not cover the signature');
  else if (le.fileoff + le.filesize !== buf.length) p.push('__LINKEDIT does not end at the end of the file');
  if (!segment(m, '__TEXT')) p.push('no __TEXT segment');
  return p;
}

/**
 * Check an ad-hoc signature the way the kernel and `codesign -v` would for a bare executable.
 * @param {Buffer} buf
 * @returns {{ ok: boolean, problems: string[], identifier?: string, pages: number, codeLimit: number }}
 */
export function verifyAdHoc(buf) {
  try {
    const m = parseMachO(buf);
    const problems = containerProblems(buf, m);
    const cs = m.codeSignature;
    if (!cs || cs.dataoff + cs.datasize > buf.length) return { ok: false, problems, pages: 0, codeLimit: 0 };
    const sb = parseSuperBlob(buf.subarray(cs.dataoff, cs.dataoff + cs.datasize));
    const cdBlob = sb.blobs.find((b) => b.type === CSSLOT_CODEDIRECTORY);
    if (!cdBlob) return { ok: false, problems: [...problems, 'the signature has no CodeDirectory'], pages: 0, codeLimit: 0 };
    const f = parseCodeDirectory(cdBlob.bytes);
    /** @type {import('./macho-parse.mjs').Segment} */
    const text = segment(m, '__TEXT') ?? { name: '', lcOffset: 0, vmaddr: 0, vmsize: 0, fileoff: -1, filesize: -1 };
    problems.push(...fieldProblems(f, cs.dataoff, text), ...specialProblems(sb, cdBlob.bytes, f), ...pageProblems(buf, cdBlob.bytes, f));
    return { ok: problems.length === 0, problems, identifier: f.identifier, pages: f.nCodeSlots, codeLimit: f.codeLimit };
  } catch (e) {
    return { ok: false, problems: [e instanceof Error ? e.message : String(e)], pages: 0, codeLimit: 0 };
  }
}

/** Re-sign a file in place: write a sibling temp file with the same mode, then rename over the original. */
export function signFile(/** @type {string} */ file, /** @type {string} */ identifier) {
  const mode = statSync(file).mode & 0o7777;
  const out = signAdHoc(readFileSync(file), identifier);
  const tmp = join(dirname(file), `.${basename(file)}.macho-sign-${process.pid}`);
  try {
    writeFileSync(tmp, out, { flag: 'wx', mode: 0o600 });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return out;
}

const USAGE = 'usage: macho-sign.mjs sign <file> --identifier <id> | macho-sign.mjs verify <file>...';

/** @param {string[]} argv @returns {number} exit code */
export function main(argv) {
  const [verb, ...rest] = argv;
  if (verb === 'sign') {
    const i = rest.indexOf('--identifier');
    const id = i >= 0 ? rest[i + 1] : undefined;
    const files = rest.filter((_, j) => j !== i && j !== i + 1);
    if (!id || files.length !== 1) { process.stderr.write(`${USAGE}\n`); return 2; }
    const file = /** @type {string} */ (files[0]);
    const t0 = performance.now();
    const before = statSync(file).size;
    const out = signFile(file, id);
    process.stdout.write(`${file}: signed ad-hoc as ${id}, ${out.length - before} bytes added, ${Math.round(performance.now() - t0)} ms\n`);
    return 0;
  }
  if (verb === 'verify' && rest.length > 0) {
    let code = 0;
    for (const file of rest) {
      const r = verifyAdHoc(readFileSync(file));
      if (r.ok) process.stdout.write(`${file}: valid ad-hoc signature ${r.identifier}, ${r.pages} pages\n`);
      else { code = 1; process.stderr.write(`${file}: signature is not valid:\n${r.problems.map((p) => `  ${p}\n`).join('')}`); }
    }
    return code;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`macho-sign: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
