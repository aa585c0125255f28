// `doctor [--json] [<remote-or-url>]`: why git says "Authentication failed" or prompts, and
// what to run, in the spirit of Git Credential Manager's `diagnose`
// (https://github.com/git-ecosystem/git-credential-manager/blob/main/docs/usage.md#diagnose).
// The work is in src/doctor/: gather the facts through Deps (gather.ts), judge them with the
// pure checks, probe the API (probe.ts, repo-probe.ts), render the answer (render.ts). Exit 0
// when nothing fails (warnings included), 1 otherwise; --json prints one JSON document whatever happens.
import { collectChecks } from '../../doctor/collect.js';
import { crashCheck, render } from '../../doctor/render.js';
import type { Check } from '../../doctor/check.js';
import type { Deps } from '../deps.js';

export interface DoctorOptions {
  json?: boolean;
}

export async function doctor(o: DoctorOptions, target: string | undefined, deps: Deps): Promise<number> {
  let checks: Check[];
  try {
    checks = await collectChecks(deps, target);
  } catch (e) {
    checks = [crashCheck(e)];
  }
  const { text, code } = render(checks, o);
  deps.io.stdout.write(text);
  return code;
}
