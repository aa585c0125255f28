// The keychain store's child as a process: what the cmd/ entry points run when they see
// keychainChildEnv (its own module, so keychain-child.ts and the protocol it speaks do not
// import each other).
import { keychainLibraryMissingExit } from './keychain-protocol.js';

/**
 * The child's whole run, for the cmd/ entry points that see keychainChildEnv (the credential
 * executable and the single executable): keychain-child.ts is loaded only then. Its exit code.
 */
export function runKeychainChild(): Promise<number> {
  return import('./keychain-child.js').then(
    (m) => m.serveKeychain(),
    () => keychainLibraryMissingExit,
  );
}
