import { describe, expect, it } from 'vitest';
import { childEnv } from '../../../src/remote/child-env.js';
import { isArtifactsError } from '../../../src/errors.js';

const origin = 'https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net';
const helper = `!f() { case "$1" in get|erase) exec /usr/bin/node '/a b/git-credential-artifacts.cjs' "$@" ;; esac; }; f`;

describe('childEnv', () => {
  it('names the operation file and injects four pairs after none (helper reset, ours, useHttpPath, proactiveAuth off)', () => {
    const env = childEnv({ env: { PATH: '/bin' }, operationFile: '/tmp/x/operation', origin, helper });
    expect(env).toEqual({
      PATH: '/bin',
      ARTIFACTS_OPERATION_FILE: '/tmp/x/operation',
      GIT_CONFIG_COUNT: '4',
      GIT_CONFIG_KEY_0: `credential.${origin}.helper`,
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: `credential.${origin}.helper`,
      GIT_CONFIG_VALUE_1: helper,
      GIT_CONFIG_KEY_2: `credential.${origin}.useHttpPath`,
      GIT_CONFIG_VALUE_2: 'true',
      GIT_CONFIG_KEY_3: `http.${origin}.proactiveAuth`,
      GIT_CONFIG_VALUE_3: 'none',
    });
  });

  it("appends after the user's own pairs and keeps them", () => {
    const user = { GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'http.sslVerify', GIT_CONFIG_VALUE_0: 'true', GIT_CONFIG_KEY_1: 'a.b', GIT_CONFIG_VALUE_1: 'c' };
    const env = childEnv({ env: user, operationFile: '/f', origin, helper });
    expect(env.GIT_CONFIG_COUNT).toBe('6');
    expect(env.GIT_CONFIG_KEY_0).toBe('http.sslVerify');
    expect(env.GIT_CONFIG_KEY_1).toBe('a.b');
    expect(env.GIT_CONFIG_KEY_2).toBe(`credential.${origin}.helper`);
    expect(env.GIT_CONFIG_VALUE_2).toBe('');
    expect(env.GIT_CONFIG_VALUE_3).toBe(helper);
    expect(env.GIT_CONFIG_KEY_4).toBe(`credential.${origin}.useHttpPath`);
  });

  it('treats an empty GIT_CONFIG_COUNT as zero', () => {
    expect(childEnv({ env: { GIT_CONFIG_COUNT: '' }, operationFile: '/f', origin, helper }).GIT_CONFIG_COUNT).toBe('4');
  });

  it('without a helper to inject: only proactive auth off, and the operation file', () => {
    const env = childEnv({ env: { GIT_CONFIG_COUNT: '1', ARTIFACTS_OPERATION_FILE: '/old' }, operationFile: '/f', origin, helper: undefined });
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '2',
      ARTIFACTS_OPERATION_FILE: '/f',
      GIT_CONFIG_KEY_1: `http.${origin}.proactiveAuth`,
      GIT_CONFIG_VALUE_1: 'none',
    });
  });

  it.each(['x', '-1', '1.5', '1e3'])('refuses GIT_CONFIG_COUNT=%j', (count) => {
    let error: unknown;
    try {
      childEnv({ env: { GIT_CONFIG_COUNT: count }, operationFile: '/f', origin, helper });
    } catch (e) {
      error = e;
    }
    expect(isArtifactsError(error) && error.code).toBe('config.invalid');
  });

  it('does not modify the parent environment', () => {
    const parent = { GIT_CONFIG_COUNT: '0' };
    childEnv({ env: parent, operationFile: '/f', origin, helper });
    expect(parent).toEqual({ GIT_CONFIG_COUNT: '0' });
  });

  it('proactive auth goes off for the remote URL too, so no block a user scoped to a path of it outranks ours', () => {
    const url = `${origin}/git/ns/repo.git`;
    const env = childEnv({ env: {}, operationFile: '/f', origin, helper: undefined, url });
    expect([env.GIT_CONFIG_KEY_0, env.GIT_CONFIG_VALUE_0, env.GIT_CONFIG_KEY_1, env.GIT_CONFIG_VALUE_1, env.GIT_CONFIG_COUNT]).toEqual([
      `http.${origin}.proactiveAuth`, 'none', `http.${url}.proactiveAuth`, 'none', '2',
    ]);
  });
});
