// What a user can get wrong when starting the emulator (--data, --host, --port), said as one
// line of what is wrong and a hint with the fix, never a stack.
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { ArtifactsError } from '../errors.js';
import { EmulatorState } from './state.js';

/** EmulatorState.open, with what a user can cause (a state.json that is not ours, a directory we may not use) said plainly. */
export async function openState(dataDir: string, clock: () => number): Promise<EmulatorState> {
  try {
    return await EmulatorState.open(dataDir, clock);
  } catch (e) {
    if (e instanceof ArtifactsError) throw e;
    const what = e instanceof SyntaxError ? 'its state.json is not valid JSON' : ((e as NodeJS.ErrnoException).code ?? 'unusable');
    throw new ArtifactsError('usage', `--data ${dataDir}: cannot use it as the emulator's state directory (${what})`, {
      hint: 'pass an empty directory, or one an earlier artifacts-emulator run used',
      cause: e,
    });
  }
}

/** How long a name given to --host may take to resolve before the emulator gives up on it. */
const hostLookupMs = 5_000;

/**
 * A --host that names no address, found before listen(): Node says ENOTFOUND there, but Bun
 * (the single executable) reports the same failure as EADDRINUSE or ENOTTY, with a stack.
 */
export async function resolveHost(host: string, lookup: (h: string) => Promise<unknown> = (h) => dns.lookup(h)): Promise<void> {
  if (isIP(host)) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'EAI_AGAIN' })), hostLookupMs);
  });
  try {
    await Promise.race([lookup(host), timeout]);
  } catch (e) {
    const code = String((e as NodeJS.ErrnoException).code ?? 'ENOTFOUND');
    throw new ArtifactsError('usage', `--host ${host}: no such host (${/^[A-Z_]{1,20}$/.test(code) ? code : 'ENOTFOUND'})`, {
      hint: 'pass an address of this machine, e.g. --host 127.0.0.1 or --host ::1',
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Why the server could not bind, as what to change (Node's listen errors: https://nodejs.org/api/net.html#serverlisten). */
export function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ArtifactsError('emulator.listen', `cannot listen on ${where}: the port is in use`, {
        hint: 'pass another --port, or --port 0 to pick a free one',
      });
    case 'EACCES':
      return new ArtifactsError('emulator.listen', `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, {
        hint: 'pass a --port from 1024 up, or --port 0 to pick a free one',
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ArtifactsError('usage', `--host ${host}: no such host (${code})`, {
        hint: 'pass an address of this machine, e.g. --host 127.0.0.1 or --host ::1',
      });
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
    case 'EINVAL':
      return new ArtifactsError('usage', `--host ${host}: not an address of this machine (${code})`, {
        hint: 'pass an address of this machine, e.g. --host 127.0.0.1, --host ::1 or --host 0.0.0.0',
      });
    default:
      // Anything else is still one line, with its code (Bun's runtime has codes of its own).
      const why = typeof code === 'string' && /^E[A-Z0-9_]{1,30}$/.test(code) ? code : ((e as Error)?.message ?? String(e));
      return new ArtifactsError('emulator.listen', `cannot listen on ${where}: ${why}`, {
        hint: 'pass --host 127.0.0.1 --port 0 to listen on a free loopback port',
      });
  }
}
