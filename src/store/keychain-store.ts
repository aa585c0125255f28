// The OS keychain store (macOS Keychain, Windows Credential Manager, the Secret Service on
// Linux) through @napi-rs/keyring: service `git-credential-artifacts`, one entry per API URL
// and account (token-store.ts entryName). Every call runs in a child process
// (keychain-child.ts) that is killed at the time bound, so a locked, prompting or hung
// keychain costs at most that bound and never hangs git.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { run, type Argv } from '../child-process.js';
import { ArtifactsError, isArtifactsError } from '../errors.js';
import { isSingleExecutable } from '../self.js';
import { credentialTool } from '../names.js';
import { keychainChildEnv, keychainLibraryMissingExit, keychainService, type KeychainOp, type KeychainResult } from './keychain-protocol.js';
import { entryName, parseEntryName, type StoreKey, type TokenStore } from './token-store.js';

/** The bound under git: a locked, prompting or hung keychain must not hold a git command. */
export const keychainTimeoutMs = 3_000;
/**
 * The bound for a person at a terminal (login, logout): long enough to answer the
 * keychain's own unlock or access prompt (macOS asks before a new program reads an item;
 * GNOME Keyring asks for the password of a locked keyring).
 */
export const interactiveKeychainTimeoutMs = 60_000;

export interface KeychainOptions {
  env: NodeJS.ProcessEnv;
  /** argv that starts a keychain child; default: this executable with keychainChildEnv set. */
  command?: string[];
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  service?: string;
  /** Called once when a call has taken longer than slowAfterMs (a prompt may be waiting for the user). */
  onSlow?: () => void;
  slowAfterMs?: number;
}

export class KeychainStore implements TokenStore {
  readonly kind = 'keychain' as const;
  readonly label = 'keychain';
  private readonly timeoutMs: number;
  private readonly service: string;

  constructor(private readonly o: KeychainOptions) {
    this.timeoutMs = o.timeoutMs ?? keychainTimeoutMs;
    this.service = o.service ?? keychainService;
  }

  /**
   * Why there is certainly no keychain here, without asking it: on Linux the Secret Service is
   * reached over the D-Bus session bus, and without DBUS_SESSION_BUS_ADDRESS there is none
   * (reads then answer "no entry" while writes fail, so a read alone would mislead).
   */
  unavailableReason(): string | undefined {
    const platform = this.o.platform ?? process.platform;
    if (platform === 'linux' && !this.o.env.DBUS_SESSION_BUS_ADDRESS) return 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service';
    return undefined;
  }

  async get(key: StoreKey): Promise<string | undefined> {
    const [r] = await this.run([{ op: 'get', name: entryName(key) }]);
    return typeof r === 'string' && r !== '' ? r : undefined;
  }

  async set(key: StoreKey, token: string): Promise<void> {
    await this.run([{ op: 'set', name: entryName(key), token }]);
  }

  async delete(key: StoreKey): Promise<boolean> {
    const [r] = await this.run([{ op: 'delete', name: entryName(key) }]);
    return r === true;
  }

  async list(): Promise<StoreKey[]> {
    const [names] = await this.run([{ op: 'list' }]);
    return (Array.isArray(names) ? names : []).map(parseEntryName).filter((k): k is StoreKey => k !== undefined);
  }

  private async run(ops: KeychainOp[]): Promise<unknown[]> {
    const reason = this.unavailableReason();
    if (reason) throw unavailable(reason);
    const results = await this.child(ops);
    return results.map((r) => {
      if (!r.ok) throw unavailable(r.error);
      return r.value;
    });
  }

  private async child(ops: KeychainOp[]): Promise<KeychainResult[]> {
    const argv = (this.o.command ?? keychainChildCommand()) as unknown as Argv;
    let out: string;
    try {
      // The tokens go through stdin and stdout only; the bound kills the child (a hung
      // D-Bus call cannot be abandoned any other way: keychain-child.ts).
      // No TLS in the child: without NODE_EXTRA_CA_CERTS it starts ~30 ms sooner (Node 20
      // parses that bundle at start-up; docs/project-layout.md, "Start-up cost").
      const env: NodeJS.ProcessEnv = { ...this.o.env, [keychainChildEnv]: '1' };
      delete env.NODE_EXTRA_CA_CERTS;
      const slow = this.o.onSlow ? setTimeout(this.o.onSlow, this.o.slowAfterMs ?? 1_000) : undefined;
      try {
        const input = JSON.stringify({ service: this.service, ops });
        const r = await run(argv, { env, input, timeoutMs: this.timeoutMs, label: 'keychain' });
        if (r.exitCode === keychainLibraryMissingExit) {
          throw unavailable('its library (@napi-rs/keyring, an optional dependency) is not installed or does not load on this machine');
        }
        out = r.stdout;
      } finally {
        clearTimeout(slow);
      }
    } catch (e) {
      if (isArtifactsError(e) && e.code === 'store.unavailable') throw e;
      if (isArtifactsError(e) && e.code === 'process.timeout') {
        throw unavailable(`it did not answer within ${this.timeoutMs / 1000} s (locked, waiting for a prompt, or its D-Bus session is stuck)`);
      }
      const code = ((e as { cause?: NodeJS.ErrnoException })?.cause as NodeJS.ErrnoException | undefined)?.code;
      throw unavailable(`its helper process did not start${code ? ` (${code})` : ''}`);
    }
    let parsed: { results?: KeychainResult[] };
    try {
      parsed = JSON.parse(out) as { results?: KeychainResult[] };
    } catch {
      throw unavailable('its helper process gave no answer');
    }
    const results = (Array.isArray(parsed?.results) ? parsed.results : []).filter(
      (r): r is KeychainResult => typeof r === 'object' && r !== null && typeof r.ok === 'boolean',
    );
    // One failure answer for the whole request: the library did not load.
    if (results.length !== ops.length && results[0] && !results[0].ok) throw unavailable(results[0].error);
    if (results.length !== ops.length) throw unavailable('its helper process gave no answer');
    return results;
  }
}

/**
 * The credential executable, whichever of our tools is running (the remote helper mints too):
 * the single executable is all three; the npm build has its bundles side by side in dist/.
 */
export function keychainChildCommand(argv1: string | undefined = process.argv[1]): string[] {
  if (isSingleExecutable() || !argv1) return [process.execPath];
  return [process.execPath, path.join(path.dirname(realpathSync(argv1)), `${credentialTool}.cjs`)];
}

function unavailable(why: string): ArtifactsError {
  return new ArtifactsError('store.unavailable', `the OS keychain is not usable: ${why}`, {
    hint: 'unlock the keychain and try again, or sign in with `git-credential-artifacts login --insecure-storage` to keep the token in a private file',
  });
}
