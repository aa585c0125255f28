// The keychain child: runs the keychain operations it is sent on stdin with @napi-rs/keyring
// and prints the answers on stdout. Keychain calls are synchronous native calls (D-Bus on
// Linux); one that hangs (a locked or prompting keyring, a stuck session bus) cannot be
// abandoned inside a process: measured with a stopped dbus-daemon, neither AsyncEntry's
// AbortSignal, nor a worker thread, nor process.exit() ends it, so the parent
// (keychain-store.ts) runs them here and kills this process at its time bound.
// Loaded only behind import() (cmd/), so the static import costs nothing elsewhere; the
// single executable aliases the package to install/sea-keyring.cjs.
import * as keyringModule from '@napi-rs/keyring';
import { readSync, writeSync } from 'node:fs';
import type { KeychainOp, KeychainRequest, KeychainResult } from './keychain-protocol.js';

type Keyring = typeof keyringModule;

function readStdin(): string {
  const chunks: Buffer[] = [];
  for (;;) {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(0, buf, 0, buf.length, null);
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function run(keyring: Keyring, service: string, op: KeychainOp): KeychainResult {
  try {
    switch (op.op) {
      case 'get':
        return { ok: true, value: new keyring.Entry(service, op.name).getPassword() };
      case 'set':
        new keyring.Entry(service, op.name).setPassword(op.token);
        return { ok: true };
      case 'delete':
        return { ok: true, value: new keyring.Entry(service, op.name).deletePassword() };
      case 'list':
        // Names only: the passwords findCredentials also returns stay in this process.
        return { ok: true, value: keyring.findCredentials(service).map((c) => c.account) };
      default:
        return { ok: false, error: 'unknown keychain operation' };
    }
  } catch (e) {
    // The library's words ("Couldn't access platform storage: …"), short and on one line.
    return { ok: false, error: String((e as Error)?.message ?? e).replace(/\s+/g, ' ').slice(0, 300) };
  }
}

export async function serveKeychain(): Promise<number> {
  let results: KeychainResult[];
  try {
    const request = JSON.parse(readStdin()) as KeychainRequest;
    const keyring: Keyring = keyringModule;
    results = request.ops.map((op) => run(keyring, request.service, op));
  } catch (e) {
    results = [{ ok: false, error: `the keychain library did not load: ${String((e as Error)?.message ?? e).slice(0, 200)}` }];
  }
  writeSync(1, JSON.stringify({ results }));
  return 0;
}
