// doctor's answer from its checks: a line per check with the fix under a warning or failure and
// a count, or (--json) one JSON document; exit 0 when nothing fails (warnings included), else 1.
// Pure but for redact(), which also removes the secrets this process has seen.
import { isArtifactsError } from '../errors.js';
import { printable, redact } from '../redact.js';
import { fail, type Check } from './check.js';

export interface Rendered {
  text: string;
  code: number;
}

const label: Record<Check['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
const clean = (s: string): string => printable(redact(s));

/** Still one answer when the checks could not run: a failure, with what went wrong. */
export function crashCheck(e: unknown): Check {
  if (isArtifactsError(e)) return fail('doctor', e.message, e.hint);
  return fail('doctor', `unexpected: ${String((e as Error)?.message ?? e)}`, 'please report it');
}

function asText(checks: readonly Check[]): string {
  let out = '';
  for (const c of checks) {
    out += `${label[c.status]}  ${c.id}: ${c.found}\n`;
    if (c.fix && c.status !== 'ok') out += `      fix: ${c.fix}\n`;
  }
  const count = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  return `${out}${count('fail')} failed, ${count('warn')} warnings, ${count('ok')} ok\n`;
}

export function render(found: readonly Check[], o: { json?: boolean }): Rendered {
  // Every word a server, a config file or an error put there is redacted and made printable.
  const checks = found.map((c) => ({ ...c, found: clean(c.found), ...(c.fix ? { fix: clean(c.fix) } : {}) }));
  const failed = checks.some((c) => c.status === 'fail');
  const text = o.json ? `${JSON.stringify({ ok: !failed, checks }, null, 2)}\n` : asText(checks);
  return { text, code: failed ? 1 : 0 };
}
