// The Artifacts REST control plane (docs/git-and-artifacts-behaviour.md, "REST control
// plane"): v4 envelope, bearer API token, a time bound on every attempt and on the whole
// call, retries per retry.ts, and failures turned into ArtifactsErrors that say what to do.
// Bodies are never logged: they may hold a token.
import { ArtifactsError } from '../errors.js';
import { noTrace, type Trace } from '../trace.js';
import { httpRequest, type HttpAnswer, type HttpTransport } from './http-request.js';
import { retryDelay, type Failure } from './retry.js';
import type { ApiShape } from '../endpoint/api-shape.js';
import { cloudflareApiUrl as cloudflareApi } from '../endpoint/endpoint.js';
import { cloudflareTokenEnv, otherApiTokenEnv } from '../credential-env.js';

export interface ApiError {
  code: number;
  message: string;
}

export interface RequestOptions {
  apiUrl: string;
  apiToken: string;
  /** Absolute deadline (ms since epoch) for all attempts together. */
  deadline: number;
  trace?: Trace;
  /** Words for messages: "mint a read token for default/repo in account …". */
  what: string;
  /** Which API this is (routes.ts): says which credential a refusal is about. Default account. */
  shape?: ApiShape;
  /**
   * A failure answer the caller takes as a final outcome (e.g. 409 ALREADY_EXISTS to a create):
   * return { value } to resolve with value, undefined to treat it as any failure (retries apply).
   */
  settle?: (status: number, errors: ApiError[]) => { value: unknown } | undefined;
  /** How one attempt is sent (http-request.ts); unit tests script answers through it. */
  transport?: HttpTransport;
  random?: () => number;
  /** The clock deadlines are measured on, and how a retry waits; unit tests pass a fake pair. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Envelope {
  success?: unknown;
  result?: unknown;
  errors?: unknown;
}

function apiErrors(body: Envelope | undefined): ApiError[] {
  if (!body || !Array.isArray(body.errors)) return [];
  return body.errors.filter(
    (e): e is ApiError => typeof e === 'object' && e !== null && typeof (e as ApiError).message === 'string',
  );
}

/** Bounds on what of a server's words reach a message: its body is hostile (issue 21, L2). */
const maxErrors = 3;
const maxMessageChars = 200;

/**
 * The error text a person reads: the envelope's `errors[].code` (an integer, else left out) and
 * `errors[].message` only, never the raw body, each message cut, at most three of them. redact()
 * (src/report.ts) still runs over it, for a secret the server echoes inside a message.
 */
export function describeApiErrors(errors: ApiError[]): string {
  const shown = errors.slice(0, maxErrors).map((e) => {
    const chars = [...e.message.replace(/\s+/g, ' ').trim()];
    const message = chars.length > maxMessageChars ? `${chars.slice(0, maxMessageChars).join('')}…` : chars.join('');
    return `${message}${Number.isSafeInteger(e.code) && e.code !== 0 ? ` (code ${e.code})` : ''}`;
  });
  const more = errors.length > maxErrors ? `; and ${errors.length - maxErrors} more` : '';
  return `${shown.join('; ')}${more}`;
}

export function failureError(status: number, errors: ApiError[], what: string, shape: ApiShape = 'account', apiUrl = '<API URL>'): ArtifactsError {
  const detail = errors.length ? `: ${describeApiErrors(errors)}` : '';
  const api = shape === 'account' ? 'the Cloudflare API' : 'the Artifacts API';
  switch (status) {
    case 401:
    case 403:
      return new ArtifactsError('auth.rejected', `${api} refused to ${what} (HTTP ${status})${detail}`, {
        hint: shape === 'account'
          ? refusedTokenHint(apiUrl)
          : 'the gateway JWT (ARTIFACTS_JWT, else the login for this API URL) was refused: it may have expired or not cover this namespace; ' +
            `set ARTIFACTS_JWT to a current one, or run \`git-credential-artifacts login --api-url ${apiUrl}\` again`,
      });
    case 404:
      return new ArtifactsError('api.not_found', `could not ${what}: not found (HTTP 404)${detail}`, {
        hint: shape === 'account'
          ? 'check the namespace and repo name in the remote URL and that the account id is the one that owns the repo'
          : 'check the namespace and repo name in the remote URL and the configured --api-url',
      });
    case 409:
      return new ArtifactsError('api.conflict', `could not ${what}: the repo is still being created, imported or forked${detail}`, {
        hint: 'wait a moment and run the git command again',
      });
    case 429:
      return new ArtifactsError('api.rate_limited', `could not ${what}: rate limited by the Cloudflare API${detail}`, {
        hint: 'too many requests in this namespace (2,000 per 10 s); wait and try again',
      });
    default:
      if (status >= 500) {
        return new ArtifactsError('api.unavailable', `could not ${what}: ${api} failed with HTTP ${status}${detail}`, {
          hint: 'the service may be having trouble; try again shortly',
        });
      }
      return new ArtifactsError('api.invalid_response', `could not ${what}: HTTP ${status}${detail}`);
  }
}

/**
 * A refused API token: the variable that outranks a stored login for this API (credential-origin.ts),
 * and the login that fixes it (issue 21: the hint named neither).
 */
function refusedTokenHint(apiUrl: string): string {
  const cloudflare = apiUrl === cloudflareApi || apiUrl === '<API URL>';
  const variable = cloudflare ? cloudflareTokenEnv : otherApiTokenEnv;
  return 'the API token needs the "Artifacts Edit" permission on this account (minting even a read token needs Edit); ' +
    `${variable}, when set, outranks ${cloudflare ? 'a stored login' : 'the login for this API URL'}: unset it or set it to such a token, ` +
    `or run \`git-credential-artifacts login${cloudflare ? '' : ` --api-url ${apiUrl}`}\` to store one ` +
    '(`git-credential-artifacts status` shows which token is used)';
}

/** Sends one JSON request with retries; resolves with `result` of a successful envelope. */
export async function apiRequest(method: string, path: string, body: unknown, options: RequestOptions): Promise<unknown> {
  const trace = options.trace ?? noTrace;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  // What the server last said: when time runs out after it, that is the failure to report, not
  // "no answer" (under load a retry's sleep or a slow attempt can overrun the deadline).
  let answered: ArtifactsError | undefined;
  for (let attempt = 1; ; attempt++) {
    const left = options.deadline - now();
    if (left <= 0) throw answered ? gaveUp(answered, attempt - 1) : timedOut(options.what);
    const outcome = await attemptOnce(method, path, body, options, left, attempt);
    if (outcome.ok) return outcome.result;
    const { failure } = outcome;
    let finalError = outcome.error;
    if (outcome.answered) answered = finalError;
    else if (finalError.code === 'api.timeout' && answered) finalError = answered;
    const delay = retryDelay(failure, attempt, now(), (options.random ?? Math.random)());
    if (delay === undefined) throw finalError;
    if (now() + delay >= options.deadline) throw gaveUp(finalError, attempt);
    trace('api.retry', { status: failure.status, attempt, delayMs: delay });
    await sleep(delay);
  }
}

const gaveUp = (e: ArtifactsError, attempts: number) =>
  new ArtifactsError(e.code, `${e.message}; gave up after ${attempts} attempt(s) within the time limit`, { hint: e.hint });

/** One attempt's end: the envelope's result, or what failed and whether the server answered. */
type Outcome = { ok: true; result: unknown } | { ok: false; failure: Failure; error: ArtifactsError; answered: boolean };

/** One attempt within `left` ms. An error that no retry can mend (not ours to retry) is thrown. */
async function attemptOnce(method: string, path: string, body: unknown, options: RequestOptions, left: number, attempt: number): Promise<Outcome> {
  const trace = options.trace ?? noTrace;
  const send = options.transport ?? httpRequest;
  const now = options.now ?? Date.now;
  const started = now();
  try {
    const response = await send({
      method,
      url: `${options.apiUrl}${path}`,
      headers: {
        authorization: `Bearer ${options.apiToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: left,
      maxBodyBytes,
    });
    const parsed = parseEnvelope(response);
    trace('api.response', { method, path, status: response.status, ms: now() - started, attempt });
    const ok = response.status >= 200 && response.status < 300;
    if (ok && parsed?.success === true) return { ok: true, result: parsed.result };
    if (ok) throw new ArtifactsError('api.invalid_response', `could not ${options.what}: the API answered without success`);
    const settled = options.settle?.(response.status, apiErrors(parsed));
    if (settled) return { ok: true, result: settled.value };
    const failure = { status: response.status, retryAfter: response.header('retry-after') };
    return { ok: false, failure, error: failureError(response.status, apiErrors(parsed), options.what, options.shape, options.apiUrl), answered: true };
  } catch (e) {
    if (e instanceof ArtifactsError) throw e;
    if ((e as { code?: unknown }).code === 'BODY_TOO_LARGE') throw tooLarge(options.what);
    trace('api.error', { method, path, error: String((e as { code?: unknown }).code ?? (e as Error).name), ms: now() - started, attempt });
    return { ok: false, failure: { status: undefined }, error: networkError(e, options), answered: false };
  }
}

/** An API answer is a few hundred bytes; a server streaming more is not one to wait for. */
export const maxBodyBytes = 1 << 20;

function tooLarge(what: string): ArtifactsError {
  return new ArtifactsError('api.invalid_response', `could not ${what}: the API's answer is larger than ${maxBodyBytes} bytes`, {
    hint: 'check the configured --api-url: it does not look like the Artifacts API',
  });
}

function parseEnvelope(response: HttpAnswer): Envelope | undefined {
  try {
    const parsed: unknown = JSON.parse(response.body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

function timedOut(what: string): ArtifactsError {
  return new ArtifactsError('api.timeout', `could not ${what}: no answer within the time limit`, {
    hint: 'check the network or raise ARTIFACTS_TIMEOUT (seconds)',
  });
}

function networkError(e: unknown, options: RequestOptions): ArtifactsError {
  const err = e as Error & { code?: unknown };
  if (err.code === 'TIMEOUT') return timedOut(options.what);
  // Node's codes (ECONNREFUSED, ENOTFOUND, …) are fixed words; anything else is not shown.
  const code = typeof err.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(err.code) ? ` (${err.code})` : '';
  return new ArtifactsError('api.unavailable', `could not ${options.what}: cannot reach ${new URL(options.apiUrl).host}${code}`, {
    hint: 'check the network connection, proxy settings and the configured --api-url',
  });
}
