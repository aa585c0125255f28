import { credentialExecutable } from '../src/cli/entry.js';
import { nodeIo } from '../src/io.js';
import { runKeychainChild } from '../src/store/keychain-entry.js';
import { keychainChildEnv } from '../src/store/keychain-protocol.js';

// The keychain store runs each keychain call in a child of this executable (src/store/keychain-store.ts).
if (process.env[keychainChildEnv] === '1') void runKeychainChild().then((code) => (process.exitCode = code));
else void credentialExecutable(nodeIo()).then((code) => (process.exitCode = code));
