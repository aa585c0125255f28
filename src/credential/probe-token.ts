// Asks the git server whether a cached repo token still works, for a token whose last use was
// never confirmed by git (src/token/served.ts). One GET of the ref advertisement git itself
// would fetch, with protocol v2 (gitprotocol-v2(5): info/refs then lists capabilities only, a
// few hundred bytes), to the very URL git asked about: an origin the user configured, so the
// token goes nowhere git would not send it. Only the status matters: 200 good, 401/403 refused
// (Artifacts: 403 `Invalid or expired token`, docs/git-and-artifacts-behaviour.md), anything
// else or no answer within the bound is "unknown", and the token is served as before.
import * as http from 'node:http';
import * as https from 'node:https';

export type ProbeResult = 'good' | 'refused' | 'unknown';

export function probeUrl(protocol: string, host: string, repoPath: string): string {
  return `${protocol}://${host}/${repoPath.replace(/^\/+|\/+$/g, '')}/info/refs?service=git-upload-pack`;
}

export function probeToken(url: string, secret: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const done = (r: ProbeResult): void => {
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const get = url.startsWith('https:') ? https.get : http.get;
    const headers = {
      authorization: `Basic ${Buffer.from(`x:${secret}`).toString('base64')}`,
      'git-protocol': 'version=2',
      'user-agent': 'git-credential-artifacts',
    };
    const req = get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      done(status === 200 ? 'good' : status === 401 || status === 403 ? 'refused' : 'unknown');
    });
    req.on('error', () => done('unknown'));
    const timer = setTimeout(() => done('unknown'), timeoutMs);
  });
}
