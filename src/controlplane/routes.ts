// Where a control-plane call goes, for both shapes of the Artifacts REST API. Pure: the one
// place that builds REST paths, so the client, minting and artifacts:// resolution never
// assemble a URL of their own.
//
// - account-scoped (Cloudflare's API today): <apiUrl>/accounts/<account>/artifacts/namespaces/<ns>/…,
//   apiUrl like https://api.cloudflare.com/client/v4, authenticated with a Cloudflare API token
//   (https://developers.cloudflare.com/artifacts/api/rest-api/);
// - namespace-scoped (the gateway shape of earlier Artifacts docs): <apiUrl>/namespaces/<ns>/…,
//   apiUrl like https://artifacts.cloudflare.net/v1/api (or …/edge/v1/api), authenticated with
//   a gateway JWT. Same routes below the namespace, same bodies and envelope, no account.
// docs/git-and-artifacts-behaviour.md, "REST control plane", has both.
import { apiShape } from '../endpoint/api-shape.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError } from '../errors.js';

/** One control plane: its base URL, its shape, and for the account-scoped one the account. */
export type ControlPlane = { shape: 'account'; apiUrl: string; account: string } | { shape: 'namespace'; apiUrl: string };

export function controlPlane(apiUrl: string, account: string | undefined): ControlPlane {
  if (apiShape(apiUrl) === 'namespace') return { shape: 'namespace', apiUrl };
  if (!account) throw new ArtifactsError('config.invalid', `the account-scoped API ${apiUrl} needs an account id, and none is set`);
  return { shape: 'account', apiUrl, account };
}

const enc = encodeURIComponent;

/** The path of a namespace, relative to apiUrl; every route of §2.4 hangs below it. */
export function namespacePath(cp: ControlPlane, namespace: string): string {
  const ns = `/namespaces/${enc(namespace)}`;
  return cp.shape === 'account' ? `/accounts/${enc(cp.account)}/artifacts${ns}` : ns;
}

/** POST: mint a repo token. */
export function tokensPath(cp: ControlPlane, namespace: string): string {
  return `${namespacePath(cp, namespace)}/tokens`;
}

/**
 * DELETE: revoke one repo token by its id. The id is a server's word (the mint answer): `.` or
 * `..` would survive encoding and be resolved away by URL parsing
 * (https://url.spec.whatwg.org/#double-dot-path-segment), making this a DELETE of the namespace.
 */
export function tokenPath(cp: ControlPlane, namespace: string, id: string): string {
  if (id === '' || id === '.' || id === '..') throw new ArtifactsError('api.invalid_response', `the token id ${JSON.stringify(id)} cannot name a token`);
  return `${tokensPath(cp, namespace)}/${enc(id)}`;
}

/** GET / DELETE one repo. */
export function repoPath(cp: ControlPlane, ref: RepoRef): string {
  return `${namespacePath(cp, ref.namespace)}/repos/${enc(ref.repo)}`;
}

/** Words for messages: "in account <id>" or "at <apiUrl>". */
export function whereText(cp: ControlPlane): string {
  return cp.shape === 'account' ? `in account ${cp.account}` : `at ${cp.apiUrl}`;
}
