// `git-credential-artifacts --sea-check`: proves a single executable is complete: it runs as
// a SEA and its keychain addon loads (no keychain is touched: constructing an Entry is local).
import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';

export async function seaCheck(): Promise<number> {
  const sea = createRequire(__filename)('node:sea') as { isSea(): boolean };
  const lines = [`node ${process.version}`, `single executable: ${sea.isSea()}`];
  let code = 0;
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
