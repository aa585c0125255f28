// `git-credential-artifacts --sea-check`: proves a single executable is complete: it runs as
// one (not as a script under some runtime), says which runtime it embeds, and its keychain
// addon loads (no keychain is touched: constructing an Entry is local).
import { writeSync } from 'node:fs';
import { isSingleExecutable } from '../src/self.js';
import { version } from '../src/names.js';

export async function seaCheck(): Promise<number> {
  const runtime = process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`;
  const single = isSingleExecutable();
  const lines = [`runtime: ${runtime} (${process.platform}-${process.arch})`, `version: ${version}`, `single executable: ${single}`];
  let code = single ? 0 : 1;
  try {
    const keyring = await import('@napi-rs/keyring');
    new keyring.Entry('git-credential-artifacts', 'sea-check');
    lines.push('keyring addon: loaded');
  } catch (e) {
    lines.push(`keyring addon: FAILED: ${(e as Error).message}`);
    code = 1;
  }
  writeSync(1, `${lines.join('\n')}\n`);
  return code;
}
