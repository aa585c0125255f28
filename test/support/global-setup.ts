import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// What a run may leave behind when a suite's set-up or a test fails between start and stop: the
// emulator, and the private D-Bus and gnome-keyring daemons of the keychain tests.
const leftover = /artifacts-emulator|dbus-daemon|gnome-keyring-daemon/;

// Build dist/ once per run so the e2e suite drives exactly the bundles that ship. Every process
// the run starts inherits ARTIFACTS_TEST_RUN (workers are started after this, with this env), so
// the teardown can find and end what outlived its suite, and only that.
export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '../..');
  const run = `${process.pid}-${Date.now()}`;
  process.env.ARTIFACTS_TEST_RUN = run;
  execFileSync(process.execPath, [path.join(root, 'install', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  return () => killLeftovers(run);
}

/**
 * Kills the processes of this run that should have been stopped by their suite, and says so (a
 * leak is a bug in a suite's hooks). Linux only: it reads /proc; on macOS and Windows the
 * suites' own afterAll hooks are the only clean-up (untested there).
 */
export function killLeftovers(run: string): void {
  if (process.platform !== 'linux') return;
  const marker = `ARTIFACTS_TEST_RUN=${run}`;
  const killed: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!leftover.test(cmdline) || !readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker)) continue;
      process.kill(Number(pid), 'SIGKILL');
      killed.push(`${pid} ${cmdline.slice(0, 120)}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  if (killed.length > 0) process.stderr.write(`global teardown: killed ${killed.length} process(es) a suite left running:\n  ${killed.join('\n  ')}\n`);
}
