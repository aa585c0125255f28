// The world the human commands run in, in-process (programMain and the Io seam): real files
// (stores, login index, cache) in a throw-away home, the keychain a store with the keychain's
// name (the real one has its own contract suite, test/unit/store/), the API a recording fake,
// git's global config a map. Shared by auth-commands.test.ts and token-json.test.ts.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Io } from '../../../src/io.js';
import { programMain } from '../../../src/cli/program.js';
import type { Deps } from '../../../src/cli/deps.js';
import { ArtifactsError } from '../../../src/errors.js';
import { FileStore, fileStorePath } from '../../../src/store/file-store.js';
import { recordLogin } from '../../../src/store/logins.js';
import type { StoreKey, TokenStore } from '../../../src/store/token-store.js';
import { TokenCache, type CacheKey } from '../../../src/token/cache.js';
import { runInProcess } from '../../support/in-process.js';

export const cfApi = 'https://api.cloudflare.com/client/v4';
export const emuApi = 'http://127.0.0.1:9/client/v4';
export const apiToken = 'cfut_GoodToken0123456789abcdefghij';
export const nowMs = 1_800_000_000_000;

export interface Call {
  method: string;
  path: string;
  apiUrl: string;
  bearer: string;
}

export type Answer = (call: Call) => unknown;

export class World {
  home = mkdtempSync(path.join(os.tmpdir(), 'auth-cmd-'));
  env: NodeJS.ProcessEnv = { HOME: this.home, XDG_CONFIG_HOME: path.join(this.home, 'config'), PATH: path.join(this.home, 'no-bin') };
  calls: Call[] = [];
  sleeps: number[] = [];
  /** Per API call: its deadline, less the time on the clock it was handed (none: NaN). */
  timeLeft: number[] = [];
  config = new Map<string, string[]>();
  answer: Answer = (c) => (c.path === '/user/tokens/verify' ? { id: 'tokid', status: 'active' } : []);
  keychainBroken: string | undefined;
  keychainAbsent: string | undefined;
  keychain: TokenStore & { unavailableReason(): string | undefined };
  file = new FileStore(fileStorePath(this.env));
  cache = new TokenCache(path.join(this.home, 'cache'));
  /** What the running command has written to stderr so far (a fake API can wait for a notice). */
  private stderrWatches: ((soFar: string) => void)[] = [];
  private stderrNow = '';

  constructor() {
    const inner = new FileStore(path.join(this.home, 'fake-keychain', 'entries.json'));
    const guard = <T>(f: () => Promise<T>): Promise<T> => {
      if (this.keychainBroken) return Promise.reject(new ArtifactsError('store.unavailable', `the OS keychain is not usable: ${this.keychainBroken}`));
      return f();
    };
    this.keychain = {
      kind: 'keychain',
      label: 'keychain',
      unavailableReason: () => this.keychainAbsent,
      get: (k) => guard(() => inner.get(k)),
      set: (k, t) => guard(() => inner.set(k, t)),
      delete: (k) => guard(() => inner.delete(k)),
      list: () => guard(() => inner.list()),
    };
  }

  deps(io: Io): Deps {
    return {
      io,
      stores: { keychain: this.keychain, file: this.file },
      cache: this.cache,
      api: async (method, p, _body, o) => {
        const call = { method, path: p, apiUrl: o.apiUrl, bearer: o.apiToken };
        this.calls.push(call);
        this.timeLeft.push(o.deadline - (o.now?.() ?? NaN));
        return this.answer(call);
      },
      git: {
        globalConfig: async (k) => this.config.get(k) ?? [],
        globalConfigRegexp: async (re) => [...this.config].filter(([k]) => new RegExp(re, 'i').test(k)).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v])),
      },
      // These commands start no child and send nothing but through api: either would be a bug here.
      run: async (argv) => {
        throw new Error(`no child processes in these tests: ${argv[0]}`);
      },
      http: async (call) => {
        throw new Error(`no HTTP in these tests: ${call.method} ${call.url}`);
      },
      uid: () => 1000,
      now: () => nowMs,
      sleep: async (ms) => void this.sleeps.push(ms),
    };
  }

  async run(argv: string[], stdin: string | Readable = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    this.stderrNow = '';
    const onStderr = (soFar: string): void => {
      this.stderrNow = soFar;
      for (const watch of [...this.stderrWatches]) watch(soFar);
    };
    return runInProcess((io) => programMain(io, (i) => this.deps(i)), { argv, stdin, env: this.env, now: () => nowMs, cwd: this.home, onStderr });
  }

  /** Resolves once the running command's stderr matches; rejects after boundMs (every wait has its own bound). */
  whenStderr(pattern: RegExp, boundMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const watch = (soFar: string): void => {
        if (!pattern.test(soFar)) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`stderr did not match ${pattern} within ${boundMs} ms`));
      }, boundMs);
      const done = (): void => {
        clearTimeout(timer);
        this.stderrWatches = this.stderrWatches.filter((w) => w !== watch);
      };
      this.stderrWatches.push(watch);
      watch(this.stderrNow);
    });
  }

  async login(kind: 'keychain' | 'file', key: StoreKey, token = apiToken): Promise<void> {
    await (kind === 'keychain' ? this.keychain : this.file).set(key, token);
    recordLogin(this.env, key, kind);
  }

  cacheToken(apiUrl: string, account: string, repo: string, scope: 'read' | 'write', o: { id?: string; expiresIn?: number } = {}): CacheKey {
    const key: CacheKey = { origin: apiUrl === cfApi ? `https://${account}.artifacts.cloudflare.net` : 'http://127.0.0.1:9', apiUrl, account, namespace: 'default', repo, scope };
    const expiresAt = Math.floor(nowMs / 1000) + (o.expiresIn ?? 3600);
    const secret = `art_v1_${repo}${scope}SECRETSECRETSECRET0123456789`;
    this.cache.write(key, { plaintext: `${secret}?expires=${expiresAt}`, secret, expiresAt, ...('id' in o ? (o.id ? { id: o.id } : {}) : { id: `id-${repo}-${scope}` }) });
    return key;
  }
}

export const verified: Answer = (c) => (c.path === '/user/tokens/verify' ? { id: 'tokid', status: 'active' } : []);
export const fails = (code: ArtifactsError['code'], message: string, on: (c: Call) => boolean): Answer => (c) => {
  if (on(c)) throw new ArtifactsError(code, message, { hint: 'server hint' });
  return verified(c);
};

/** A terminal that types `typed` once the prompt is up. */
export function tty(typed: string): Readable {
  const r = new Readable({ read() {} }) as Readable & { isTTY: boolean; setRawMode(b: boolean): void; raw: boolean[] };
  r.isTTY = true;
  r.raw = [];
  r.setRawMode = (b) => {
    r.raw.push(b);
    if (b) setImmediate(() => r.push(typed));
  };
  return r;
}
