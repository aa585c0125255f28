// One HTTP request for the control-plane client (client.ts), with node:http / node:https
// rather than fetch(). fetch() loads and compiles undici on first use: on Node 20 a bare POST
// cost 123 ms and 82 MB RSS against 34 ms and 42 MB with node:http (README.md, "Speed"), and a
// minting `get` pays that once per mint. Only the cold path loads this module.
//
// What fetch() gave us and this keeps: a time bound on the whole exchange (connect, send,
// headers and body), a cap on the body, no redirects followed (node:http never follows them;
// client.ts reports a 3xx as an unexpected status). Proxies: Node's fetch() ignores HTTPS_PROXY
// and friends unless NODE_USE_ENV_PROXY is set (https://nodejs.org/api/cli.html#node_use_env_proxy1),
// and node:https without an agent does too, so proxy behaviour is unchanged.
import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange must end within this many ms. */
  timeoutMs: number;
  /** A body longer than this is not read: the call fails with code BODY_TOO_LARGE. */
  maxBodyBytes: number;
}

export interface HttpAnswer {
  status: number;
  /** A response header by lower-case name, or null. */
  header(name: string): string | null;
  body: string;
}

/** The seam client.ts takes, so unit tests can script answers without a network. */
export type HttpTransport = (call: HttpCall) => Promise<HttpAnswer>;

/** Errors carry `code`: Node's (ECONNREFUSED, ENOTFOUND, …), TIMEOUT or BODY_TOO_LARGE. */
export class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const httpRequest: HttpTransport = (call) =>
  new Promise((resolve, reject) => {
    const url = new URL(call.url);
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client) {
      reject(new HttpError('BAD_PROTOCOL', `unsupported protocol ${url.protocol}`));
      return;
    }
    const payload = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
    // The first of answer, error and time-out settles the call; the others find it settled.
    let settled = false;
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      then();
    };
    const fail = (e: HttpError) =>
      settle(() => {
        req.destroy();
        reject(e);
      });
    // agent: false: one connection per attempt, closed afterwards, so no kept-alive socket
    // holds the process open after the answer.
    const req = client.request(
      url,
      {
        method: call.method,
        headers: { ...call.headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
        agent: false,
      },
      (res) => readAnswer(res, call.maxBodyBytes, fail, (answer) => settle(() => resolve(answer()))),
    );
    const timer = setTimeout(() => fail(new HttpError('TIMEOUT', `no answer within ${call.timeoutMs} ms`)), Math.max(1, call.timeoutMs));
    req.on('error', (e: NodeJS.ErrnoException) => fail(new HttpError(e.code ?? 'EREQUEST', e.message)));
    req.end(payload);
  });

/** Reads a response's body, at most `maxBodyBytes` of it; at its end, `ended` gets the answer to build. */
function readAnswer(res: http.IncomingMessage, maxBodyBytes: number, fail: (e: HttpError) => void, ended: (answer: () => HttpAnswer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes) fail(new HttpError('BODY_TOO_LARGE', `the answer is larger than ${maxBodyBytes} bytes`));
    else chunks.push(chunk);
  });
  res.on('error', (e: NodeJS.ErrnoException) => fail(new HttpError(e.code ?? 'ERESPONSE', e.message)));
  res.on('end', () =>
    ended(() => {
      const headers = res.headers;
      return {
        status: res.statusCode ?? 0,
        header: (name) => {
          const v = headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        },
        body: Buffer.concat(chunks).toString('utf8'),
      };
    }),
  );
}
