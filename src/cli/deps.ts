// What a human command needs from the outside world, in one small object that tests fake (as
// cli/cli's cmdutil.Factory: https://github.com/cli/cli/blob/trunk/pkg/cmdutil/factory.go).
// Built only when a command runs (program.ts); nothing here is on git's hot path.
import { run } from '../child-process.js';
import { apiRequest } from '../controlplane/client.js';
import { httpRequest, type HttpTransport } from '../controlplane/http-request.js';
import type { Io } from '../io.js';
import { tokenCacheDir } from '../paths.js';
import { credentialTool } from '../names.js';
import { say } from '../report.js';
import { interactiveKeychainTimeoutMs } from '../store/keychain-store.js';
import { defaultStores, type Stores } from '../store/logins.js';
import { TokenCache } from '../token/cache.js';

export interface Git {
  /** Every value of `git config --global --get-all <key>`, in file order (configure writes one per endpoint). */
  globalConfig(key: string): Promise<string[]>;
  /** Every `[key, value]` of `git config --global --get-regexp <pattern>`, in file order (`token` reads configure's helper lines). */
  globalConfigRegexp(pattern: string): Promise<Array<[string, string]>>;
}

export interface Deps {
  io: Io;
  stores: Stores;
  cache: TokenCache;
  api: typeof apiRequest;
  git: Git;
  /** Child processes (src/child-process.ts): doctor's git commands and its ls-remote probe. */
  run: typeof run;
  /** One HTTP exchange (controlplane/http-request.ts): doctor's probes of the API. */
  http: HttpTransport;
  /** This process's user id where the platform has one (POSIX), for the token cache owner check. */
  uid: () => number | undefined;
  /** The clock every deadline and expiry is read on (Io.now). */
  now: () => number;
  /** Waits between a failed revoke and its retry; tests pass one that does not. */
  sleep: (ms: number) => Promise<void>;
}

/**
 * `git config -z --get-regexp` output: each entry `key\nvalue\0` (a value may hold anything but
 * NUL, newlines included; a key with no value at all is `key\0`). Pure.
 */
export function parseGetRegexpZ(text: string): Array<[string, string]> {
  return text.split('\0').filter((e) => e !== '').map((e): [string, string] => {
    const at = e.indexOf('\n');
    return at === -1 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
  });
}

export function gitFor(io: Io): Git {
  return {
    globalConfig: async (key) => {
      try {
        const r = await run(['git', 'config', '--global', '--get-all', key], { env: io.env, cwd: io.cwd, timeoutMs: 10_000 });
        // Exit 1: no such key.
        return r.exitCode === 0 ? r.stdout.split('\n').map((v) => v.trim()).filter((v) => v !== '') : [];
      } catch {
        // No git, or it did not answer: the defaults apply.
        return [];
      }
    },
    globalConfigRegexp: async (pattern) => {
      try {
        const r = await run(['git', 'config', '--global', '-z', '--get-regexp', pattern], { env: io.env, cwd: io.cwd, timeoutMs: 10_000 });
        return r.exitCode === 0 ? parseGetRegexpZ(r.stdout) : [];
      } catch {
        return [];
      }
    },
  };
}

/** A person is there to answer a prompt: stdin or stderr is a terminal. */
function interactive(io: Io): boolean {
  return (io.stdin as { isTTY?: boolean }).isTTY === true || (io.stderr as { isTTY?: boolean }).isTTY === true;
}

export function defaultDeps(io: Io): Deps {
  return {
    io,
    // A person at a terminal can answer the keychain's unlock prompt: wait for them, and say so.
    stores: defaultStores(
      io.env,
      interactive(io)
        ? {
            timeoutMs: interactiveKeychainTimeoutMs,
            onSlow: () => say(credentialTool, io.stderr, 'waiting for the OS keychain (it may be asking you to unlock it or to allow access)...'),
          }
        : {},
    ),
    cache: new TokenCache(tokenCacheDir(io.env)),
    api: apiRequest,
    git: gitFor(io),
    run,
    http: httpRequest,
    uid: () => process.getuid?.(),
    now: io.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
