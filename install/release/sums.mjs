// SHA256SUMS in the format `sha256sum -c` and `shasum -a 256 -c` read (GNU coreutils, "sha256sum invocation"):
// one `<64 hex>  <file name>` line per archive, two spaces (text mode, which on POSIX reads the same bytes).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a file, streamed (the archives are tens of MB). */
export function sha256File(file) {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file).on('error', reject).on('data', (c) => h.update(c)).on('end', () => resolve(h.digest('hex')));
  });
}

/** Pure: the file's text for [{name, sha256}]. */
export function formatSums(rows) {
  for (const r of rows) {
    if (!/^[0-9a-f]{64}$/.test(r.sha256) || !/^[A-Za-z0-9._-]+$/.test(r.name)) throw new Error(`release: bad SHA256SUMS row ${JSON.stringify(r)}`);
  }
  return rows.map((r) => `${r.sha256}  ${r.name}\n`).join('');
}

/** Pure: the rows of a SHA256SUMS text; throws on any line that is not `<hex>  <name>` (or `<hex> *<name>`). */
export function parseSums(text) {
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('SHA256SUMS: the last line has no newline');
  return lines.map((line, i) => {
    const m = /^([0-9a-f]{64}) [ *]([A-Za-z0-9._-]+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS line ${i + 1} is not "<sha256>  <file>": ${JSON.stringify(line.slice(0, 120))}`);
    return { sha256: m[1], name: m[2] };
  });
}
