// The CGI bridge to the real `git http-backend` (https://git-scm.com/docs/git-http-backend). Bodies stream both
// ways, never buffered whole: start() from src/child-process.ts gives raw, back-pressured pipes in
// both directions, and we split the CGI head from the body ourselves. The time bound is the
// request's (call.timeoutMs), answered with a 504.
import { start } from '../child-process.js';
import type { Started } from '../child-process.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCgiHead } from './cgi.js';

export interface CgiCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** GIT_PROJECT_ROOT */
  projectRoot: string;
  /** e.g. /<repo id>.git/info/refs; built by the caller from what it authorized, never the raw path. */
  pathInfo: string;
  /** Normalised (`service=<the authorized service>` or empty), never the raw query. */
  queryString: string;
  remoteUser: string;
  /** HOME for the child (so no user config is read). */
  home: string;
  /** Kill the child (SIGKILL) after this long. */
  timeoutMs: number;
}

export interface CgiOutcome {
  status: number;
  exitCode: number | null;
  stderr: string;
}

function cgiEnv(call: CgiCall): NodeJS.ProcessEnv {
  const h = call.req.headers;
  const protocol = typeof h['git-protocol'] === 'string' && /^[\x20-\x7e]{1,256}$/.test(h['git-protocol']) ? h['git-protocol'] : undefined;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: call.home,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: call.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: call.pathInfo,
    QUERY_STRING: call.queryString,
    REQUEST_METHOD: call.req.method ?? 'GET',
    REMOTE_USER: call.remoteUser,
    REMOTE_ADDR: call.req.socket.remoteAddress ?? '',
    SERVER_PROTOCOL: 'HTTP/1.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
  };
  if (h['content-type']) env.CONTENT_TYPE = h['content-type'];
  if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
  if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = h['content-encoding'];
  if (protocol) env.GIT_PROTOCOL = protocol;
  // What the service was observed to offer (https://developers.cloudflare.com/artifacts/api/git-protocol/
  // lists `filter` among the missing v1 capabilities): partial clone only over protocol v2 (v0/v1
  // clients see no `filter` and clone fully), and no `atomic` on push.
  // Environment config wins over each repo's own config.
  const v2 = /(^|:)version=2(:|$)/.test(protocol ?? '');
  Object.assign(env, {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
    GIT_CONFIG_VALUE_0: v2 ? 'true' : 'false',
    GIT_CONFIG_KEY_1: 'receive.advertiseAtomic',
    GIT_CONFIG_VALUE_1: 'false',
  });
  return env;
}

/** Runs one request through `git http-backend`; resolves once the child and response are done. */
export function runHttpBackend(call: CgiCall): Promise<CgiOutcome> {
  return new Promise((resolve) => {
    // Its own process group: killing it at the bound or when the client goes away also ends
    // the upload-pack or receive-pack it started.
    const started = start(['git', 'http-backend'], { env: cgiEnv(call), stdio: ['pipe', 'pipe', 'pipe'], group: true });
    new CgiRelay(call, started, resolve);
  });
}

/** One request and one backend: the request body in, the CGI head parsed, the body out with back-pressure. */
class CgiRelay {
  /** The CGI head so far; null once it is parsed and sent. */
  private head: Buffer | null = Buffer.alloc(0);
  private status = 502;
  private stderr = '';
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly call: CgiCall,
    private readonly child: Started,
    private readonly resolve: (outcome: CgiOutcome) => void,
  ) {
    const { req, res } = call;
    const { stdin, stdout, stderr } = child.child;
    this.timer = setTimeout(() => {
      child.kill();
      this.fail(504, 'git http-backend timed out');
    }, call.timeoutMs);
    stdin!.on('error', () => undefined); // EPIPE when the backend stops reading early
    req.on('error', () => child.kill());
    res.on('close', () => {
      if (!res.writableFinished) child.kill(); // client went away
    });
    req.pipe(stdin!);
    stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    stdout!.on('data', (chunk: Buffer) => this.data(chunk));
    stdout!.on('end', () => (this.head !== null ? this.fail(502, 'git http-backend ended without a response') : res.end()));
    child.exited.then(
      (code) => this.finish(code),
      () => {
        this.fail(500, 'cannot run git http-backend');
        this.finish(null);
      },
    );
  }

  private data(chunk: Buffer): void {
    const { res } = this.call;
    if (this.head === null) {
      if (res.write(chunk)) return;
      const stdout = this.child.child.stdout!;
      stdout.pause();
      res.once('drain', () => stdout.resume());
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const parsed = parseCgiHead(this.head);
    if (!parsed) {
      if (this.head.length <= 64 * 1024) return;
      this.child.kill();
      return this.fail(502, 'git http-backend sent no valid CGI header');
    }
    this.status = parsed.status;
    res.writeHead(parsed.status, parsed.headers.flat());
    const rest = this.head.subarray(parsed.bodyStart);
    this.head = null;
    if (rest.length > 0) res.write(rest);
  }

  private fail(code: number, message: string): void {
    const { res } = this.call;
    if (res.headersSent) return void res.destroy();
    this.status = code;
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${message}\n`);
  }

  private finish(exitCode: number | null): void {
    clearTimeout(this.timer);
    if (this.settled) return;
    this.settled = true;
    const { res } = this.call;
    const done = (): void => this.resolve({ status: this.status, exitCode, stderr: this.stderr });
    if (res.writableFinished || res.destroyed) done();
    else res.once('close', done);
  }
}
