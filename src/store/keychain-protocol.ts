// What the keychain store (parent) and its child (keychain-child.ts) say to each other over
// the child's stdin and stdout: one JSON request with a list of operations, one JSON answer.
// Tokens travel only through these pipes, never through argv or the environment.
export const keychainService = 'git-credential-artifacts';

/** Set in the child's environment; cmd/ entry points serve the keychain when they see it. */
export const keychainChildEnv = 'GIT_CREDENTIAL_ARTIFACTS_KEYCHAIN_CHILD';

export type KeychainOp =
  | { op: 'get'; name: string }
  | { op: 'set'; name: string; token: string }
  | { op: 'delete'; name: string }
  | { op: 'list' };

export type KeychainResult = { ok: true; value?: string | boolean | string[] | null } | { ok: false; error: string };

export interface KeychainRequest {
  service: string;
  ops: KeychainOp[];
}

/** The child's exit code when @napi-rs/keyring did not load (an optional dependency: it may be absent). */
export const keychainLibraryMissingExit = 3;

