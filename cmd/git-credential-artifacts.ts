import { credentialExecutable } from '../src/cli/entry.js';
import { nodeIo } from '../src/io.js';
import { keychainChildEnv, keychainLibraryMissingExit } from '../src/store/keychain-protocol.js';

// The keychain store runs each keychain call in a child of this executable (src/store/keychain-store.ts).
if (process.env[keychainChildEnv] === '1') void import('../src/store/keychain-child.js').then(
    async (m) => (process.exitCode = await m.serveKeychain()),
    () => (process.exitCode = keychainLibraryMissingExit),
  );
else void credentialExecutable(nodeIo()).then((code) => (process.exitCode = code));
