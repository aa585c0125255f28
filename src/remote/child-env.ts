// The environment for the `git remote-http(s)` child (pure). Additions to the parent's:
// ARTIFACTS_OPERATION_FILE names the private file holding read|write for our credential
// helper (src/operation-file.ts), and GIT_CONFIG_COUNT pairs, appended after any pairs
// the user already has (https://git-scm.com/docs/git-config#ENVIRONMENT). Env pairs, not
// `-c k=v` strings, so no character in a URL can inject config. No token ever goes in here.
import { operationFileEnv } from '../operation-file.js';
import { ArtifactsError } from '../errors.js';

export interface ChildEnvInput {
  env: NodeJS.ProcessEnv;
  operationFile: string;
  /** The git origin the child talks to, e.g. https://<account>.artifacts.cloudflare.net. */
  origin: string;
  /** The credential.helper value (helperCommand()) to put in charge of origin; none: configure did. */
  helper: string | undefined;
  /** The remote URL the child is started on: proactive auth goes off for it as well. */
  url?: string;
  /** More config pairs, after ours (deferred-create.ts: the stand-in's proxy off). */
  extraPairs?: [string, string][];
}

/** The config pairs: reset the helper list for origin, add ours, send the repo path. */
export function helperPairs(origin: string, helper: string): [string, string][] {
  return [
    [`credential.${origin}.helper`, ''],
    [`credential.${origin}.helper`, helper],
    [`credential.${origin}.useHttpPath`, 'true'],
  ];
}

/**
 * No proactive auth in the child, whatever the user's config says: with
 * http.<url>.proactiveAuth (git >= 2.46) git-remote-http fills the credential as it starts
 * (http_init() in git's http.c), before git's first command tells us it pushes, so a push
 * would be handed a read token, and before the wrapper has even written its helper file
 * (session-helper.ts). The exact origin outranks configure's wildcard URL, and the remote URL
 * itself any block a user scoped to a path of it (git's urlmatch: the longest match wins).
 */
export function proactiveAuthPairs(origin: string, url?: string): [string, string][] {
  const pairs: [string, string][] = [[`http.${origin}.proactiveAuth`, 'none']];
  if (url !== undefined && url !== origin) pairs.push([`http.${url}.proactiveAuth`, 'none']);
  return pairs;
}

export function childEnv(input: ChildEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...input.env, [operationFileEnv]: input.operationFile };
  const raw = input.env.GIT_CONFIG_COUNT;
  const count = raw === undefined || raw === '' ? 0 : Number(raw);
  if (!/^\d*$/.test(raw ?? '') || !Number.isSafeInteger(count)) {
    throw new ArtifactsError('config.invalid', `GIT_CONFIG_COUNT is "${raw}", not a number`, {
      hint: 'unset GIT_CONFIG_COUNT or set it to the number of GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n> pairs',
    });
  }
  const pairs = [
    ...(input.helper === undefined ? [] : helperPairs(input.origin, input.helper)),
    ...proactiveAuthPairs(input.origin, input.url),
    ...(input.extraPairs ?? []),
  ];
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${count + i}`] = key;
    env[`GIT_CONFIG_VALUE_${count + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(count + pairs.length);
  return env;
}
