// What every handler shares: the store, the test aids, and the server's fixed settings.
import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { ApiShape } from '../endpoint/api-shape.js';
import type { CursorInfo, OffsetInfo } from './envelope.js';
import type { Faults } from './fault-injection.js';
import type { RequestLog } from './request-log.js';
import type { InFlightLimit } from './in-flight.js';
import type { EmulatorState } from './state.js';

export interface EmulatorContext {
  store: EmulatorState;
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
  /** The content routes' slots: how many read git objects and stream them out at once (issue 21, L4). */
  contentReads: InFlightLimit;
}

// What a route handler gets and gives back; here, not in router.ts, so the rest-*.ts handlers
// and the router do not import each other.
export interface RouteContext {
  emu: EmulatorContext;
  /** Which API the request came through: it decides the form of the `remote` URLs answered. */
  api: ApiShape;
  /** The account of an account-scoped path; '' on the namespace-scoped APIs. */
  account: string;
  ns: string;
  name: string;
  id: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Every path parameter as matched (the content routes' :hash, :ref and *path). */
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  result: unknown;
  resultInfo?: CursorInfo | OffsetInfo;
  /** Extra headers (Cache-Control of the immutable content routes, Content-Type of raw bytes). */
  headers?: Record<string, string>;
  /** Raw bytes instead of the envelope. */
  body?: Buffer;
  /** Writes the whole answer itself, status and headers included (the blob, file and raw routes stream git's output). */
  stream?: (res: ServerResponse) => Promise<void>;
  /** The id of the token this answer minted, for the request log (the mint route). */
  minted?: string;
}
