// The keychain child from source, for unit tests (the built executables serve it themselves
// when they see keychainChildEnv: cmd/git-credential-artifacts.ts).
import { serveKeychain } from '../../src/store/keychain-child.js';

void serveKeychain().then((code) => (process.exitCode = code));
