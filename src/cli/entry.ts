// The git-credential-artifacts executable: git's helper calls (isHelperCall) take the hot
// path, everything else (configure, --help, …) the human CLI, loaded only then.
import { isHelperCall } from '../credential/args.js';
import { credentialMain } from '../credential/main.js';
import type { Io } from '../io.js';

export async function credentialExecutable(io: Io): Promise<number> {
  if (isHelperCall(io.argv)) return credentialMain(io);
  return (await import('./program.js')).programMain(io);
}
