// The environment for the `git remote-http(s)` child (pure). Two additions to the parent's:
// ARTIFACTS_OPERATION_FILE names the private file holding read|write for our credential
// helper (src/credential/operation.ts), and GIT_CONFIG_COUNT pairs put our helper in charge of
// the remote's origin, appended after any pairs the user already has (§7.6). Env pairs, not
// `-c k=v` strings, so no character in a URL can inject config. No token ever goes in here.
import { operationFileEnv } from '../credential/operation.js';
import { ArtifactsError } from '../errors.js';

export interface ChildEnvInput {
  env: NodeJS.ProcessEnv;
  operationFile: string;
  /** The credential URL to take over, e.g. https://<account>.artifacts.cloudflare.net; none: no injection. */
  origin: string | undefined;
  /** The credential.helper value (helperCommand()) to run for that origin. */
  helper: string;
}

/**
 * The config pairs: reset the helper list for origin, add ours, send the repo path, and ask
 * before the first request (http.<url>.proactiveAuth, git >= 2.46; older gits ignore it),
 * which saves each git process a 401 round trip, as configure does for its hosts.
 */
export function helperPairs(origin: string, helper: string): [string, string][] {
  return [
    [`credential.${origin}.helper`, ''],
    [`credential.${origin}.helper`, helper],
    [`credential.${origin}.useHttpPath`, 'true'],
    [`http.${origin}.proactiveAuth`, 'basic'],
  ];
}

export function childEnv(input: ChildEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...input.env, [operationFileEnv]: input.operationFile };
  if (input.origin === undefined) return env;
  const raw = input.env.GIT_CONFIG_COUNT;
  const count = raw === undefined || raw === '' ? 0 : Number(raw);
  if (!/^\d*$/.test(raw ?? '') || !Number.isSafeInteger(count)) {
    throw new ArtifactsError('config.invalid', `GIT_CONFIG_COUNT is "${raw}", not a number`, {
      hint: 'unset GIT_CONFIG_COUNT or set it to the number of GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n> pairs',
    });
  }
  const pairs = helperPairs(input.origin, input.helper);
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${count + i}`] = key;
    env[`GIT_CONFIG_VALUE_${count + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(count + pairs.length);
  return env;
}
