// Which of the two shapes of the Artifacts REST API a base URL names (controlplane/routes.ts
// builds the paths of each). Pure, and a leaf: the endpoint, the credential rules and the
// control plane all ask it.
export type ApiShape = 'account' | 'namespace';

/**
 * The shape an API base URL names: a path ending in `/v1/api` (so `/edge/v1/api` too) is
 * namespace-scoped; anything else (`/client/v4`, or a proxy's own prefix, as before this shape
 * existed) is account-scoped. Exact, case-sensitive segments: `/v1/apix` or `/V1/API` are not.
 * `apiUrl` is a normalised base (parseApiUrl): no query, no trailing slash.
 */
export function apiShape(apiUrl: string): ApiShape {
  let pathname: string;
  try {
    pathname = new URL(apiUrl).pathname;
  } catch {
    return 'account';
  }
  return /(^|\/)v1\/api\/?$/.test(pathname) ? 'namespace' : 'account';
}
