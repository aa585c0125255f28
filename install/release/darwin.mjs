// Ad-hoc signature for the darwin executables (issue 20). Bun leaves darwin-x64 with its own original signature, which
// no longer matches the pages, and macOS refuses such a binary; there is no codesign here, so macho-sign.mjs writes
// the ad-hoc SuperBlob itself. A release never ships an unsigned or badly signed darwin binary: a missing module or
// a failed verifyAdHoc is an error, never a skip.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const IDENTIFIER = 'git-credential-artifacts';
const modulePath = fileURLToPath(new URL('./macho-sign.mjs', import.meta.url));

/** macho-sign.mjs, or a clear error naming it. */
export async function machoSign() {
  if (!existsSync(modulePath)) {
    throw new Error(`release: ${modulePath} is missing, so the darwin executables cannot be signed and are not released; ` +
      'build with --only linux-x64,linux-arm64,windows-x64, or add install/release/macho-sign.mjs (signAdHoc, verifyAdHoc)');
  }
  return import(modulePath);
}

/** Pure over the module: throws unless verifyAdHoc says the buffer's signature is whole and valid. */
export function checkSigned(sign, buf, what) {
  const v = sign.verifyAdHoc(buf);
  if (!v.ok) throw new Error(`release: ${what}: ad-hoc signature does not verify: ${(v.problems ?? []).join('; ') || 'no reason given'}`);
  return v;
}

/** Signs the executable at `file` in place, then verifies what was written. */
export async function signDarwin(file) {
  const sign = await machoSign();
  const signed = sign.signAdHoc(readFileSync(file), IDENTIFIER);
  writeFileSync(file, signed);
  return checkSigned(sign, readFileSync(file), file);
}
