// A real Secret Service for tests: a private D-Bus session bus with gnome-keyring on it,
// unlocked, in a throw-away HOME (the headless recipe: dbus-daemon + `gnome-keyring-daemon
// --unlock`, https://wiki.gnome.org/Projects/GnomeKeyring/RunningDaemon). CI installs both
// (.ci/run) and sets ARTIFACTS_TEST_REQUIRE_KEYRING=1, so there a missing one fails the run. On a
// machine without them (a fresh one with only Node and git) the tests that need them are skipped
// with one note, which test/support/summary-reporter.ts prints once, saying how to run them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { onPath } from '../../src/on-path.js';

/** The commands the bus and the Secret Service need, and the Debian package of each (.ci/run installs the same). */
const needed = [
  ['dbus-daemon', 'dbus-daemon'],
  ['dbus-send', 'dbus-bin'],
  ['gnome-keyring-daemon', 'gnome-keyring'],
] as const;

/**
 * Why this machine cannot start a Secret Service for tests, or undefined when it can. Always
 * undefined under ARTIFACTS_TEST_REQUIRE_KEYRING=1: then the tests run and fail loudly.
 */
export function secretServiceMissing(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | undefined {
  if (env.ARTIFACTS_TEST_REQUIRE_KEYRING === '1') return undefined;
  if (platform !== 'linux') return `keychain tests need a Linux D-Bus Secret Service (gnome-keyring), which ${platform} does not have`;
  const missing = needed.filter(([cmd]) => !onPath(cmd, env));
  if (missing.length === 0) return undefined;
  return (
    `keychain tests need a Secret Service (${missing.map(([cmd]) => cmd).join(', ')} not on PATH); to run: ` +
    `apt-get install ${needed.map(([, pkg]) => pkg).join(' ')}, or set ARTIFACTS_TEST_REQUIRE_KEYRING=1 to make them mandatory`
  );
}

/** Skips the current test (from the test or a beforeEach) when no Secret Service can be started here. */
export function skipWithoutSecretService(ctx: TestContext): void {
  const why = secretServiceMissing();
  if (why) ctx.skip(why);
}

export interface Bus {
  address: string;
  pid: number;
  home: string;
  stop(): void;
}

/** A private session bus (no Secret Service on it unless D-Bus activates one). */
export function startBus(): Bus {
  const home = mkdtempSync(path.join(os.tmpdir(), 'bus-'));
  let out: string;
  try {
    out = execFileSync('dbus-daemon', ['--session', '--fork', '--print-address=1', '--print-pid=1'], { encoding: 'utf8', env: { ...process.env, HOME: home } });
  } catch (e) {
    throw new Error(`dbus-daemon did not start (${(e as Error).message}); install dbus (apt-get install dbus-daemon), as .ci/run does`);
  }
  const [address, pid] = out.trim().split('\n');
  return {
    address: address!,
    pid: Number(pid),
    home,
    stop() {
      try {
        process.kill(Number(pid), 'SIGCONT');
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // Gone already.
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** One question to the bus, itself bounded (dbus-send's own reply timeout, and a kill after it). */
function nameHasOwner(address: string, name: string): boolean {
  const out = execFileSync(
    'dbus-send',
    ['--session', '--print-reply', '--reply-timeout=2000', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
    { encoding: 'utf8', env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, timeout: 5_000, killSignal: 'SIGKILL' },
  );
  return /boolean true/.test(out);
}

/** How long gnome-keyring-daemon may take to claim its name on the bus: seconds, even under load. */
const claimBoundMs = 20_000;

/** Waits until the Secret Service owns its name; fails with what did not happen once the bound is past. */
async function untilClaimed(address: string, failed: Promise<never>): Promise<void> {
  const giveUpAt = Date.now() + claimBoundMs;
  while (!nameHasOwner(address, 'org.freedesktop.secrets')) {
    if (Date.now() >= giveUpAt) throw new Error(`gnome-keyring-daemon did not claim org.freedesktop.secrets on the test bus within ${claimBoundMs / 1000} s`);
    await Promise.race([new Promise((r) => setTimeout(r, 20)), failed]);
  }
}

export interface SecretService {
  /** What a process needs in its environment to use this Secret Service. */
  env: { DBUS_SESSION_BUS_ADDRESS: string };
  stop(): void;
}

export async function startSecretService(): Promise<SecretService> {
  const bus = startBus();
  let daemon: ChildProcess | undefined;
  try {
    daemon = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--foreground'], {
      env: { ...process.env, HOME: bus.home, XDG_RUNTIME_DIR: bus.home, DBUS_SESSION_BUS_ADDRESS: bus.address },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const failed = new Promise<never>((_, reject) => {
      daemon!.on('error', (e) => reject(new Error(`gnome-keyring-daemon did not start (${e.message}); install gnome-keyring, as .ci/run does`)));
      daemon!.on('exit', (code) => reject(new Error(`gnome-keyring-daemon exited (${code})`)));
    });
    failed.catch(() => {});
    // The login keyring's password, read by --unlock from stdin.
    daemon.stdin!.end('test-password');
    // Ready when it owns the Secret Service name (before that, D-Bus would activate a locked one).
    await untilClaimed(bus.address, failed);
  } catch (e) {
    daemon?.kill('SIGKILL');
    bus.stop();
    throw e;
  }
  return {
    env: { DBUS_SESSION_BUS_ADDRESS: bus.address },
    stop() {
      daemon!.kill('SIGTERM');
      bus.stop();
    },
  };
}

/**
 * argv of a keychain child built from source (the built executables serve it themselves:
 * cmd/git-credential-artifacts.ts). Bundled once with esbuild rather than run through tsx,
 * whose start-up alone can pass the store's 3 s bound on a loaded machine.
 */
export async function keychainChildForTests(): Promise<string[]> {
  const { build } = await import('esbuild');
  const dir = path.resolve('node_modules/.cache/git-credential-artifacts-test');
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, `keychain-child-${process.pid}.cjs`);
  await build({ entryPoints: [path.resolve('test/support/keychain-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['@napi-rs/keyring'], outfile, logLevel: 'warning' });
  return [process.execPath, outfile];
}
