// What every handler shares: the store, the test aids, and the server's fixed settings.
import type { Writable } from 'node:stream';
import type { Faults, RequestLog } from './faults.js';
import type { Store } from './state.js';

export interface Emu {
  store: Store;
  faults: Faults;
  log: RequestLog;
  /** The Bearer the account-scoped API (/client/v4) and the test aids accept. */
  apiToken: string;
  /** The Bearer the namespace-scoped APIs (/v1/api, /edge/v1/api) accept: a gateway JWT. */
  jwt: string;
  /** `http://<bound host>:<port>`, the base of every `remote`. */
  baseUrl: string;
  /** Bound for one `git http-backend` child and for the git commands of create/fork/import. */
  gitTimeoutMs: number;
  verbose: boolean;
  /** --allow-local-import (tests only): imports may also name local paths and file:// URLs. */
  allowLocalImport: boolean;
  stderr: Writable;
  /** ns/name keys with a create, fork or import being set up (answers 409 to a second one). */
  busy: Set<string>;
  /** Background imports, awaited on shutdown. */
  jobs: Set<Promise<void>>;
}
