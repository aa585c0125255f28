// Partial clones the way ArtifactFS uses them (https://github.com/cloudflare/artifact-fs,
// internal/gitstore/gitstore.go): a blobless clone over protocol v2, then one lazy fetch per
// blob read, each a new git-remote-http that asks our helper with ambient credentials. ArtifactFS leaves GIT_TERMINAL_PROMPT unset for those fetches, so a
// helper that fails would end in a prompt; a recording askpass shows whether git ever tried.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredWorld, expectOneChallengePerProcess, gitRequests, mints, ok, proactive, seededRepo, settledLog } from './support.js';

const files: Record<string, string> = Object.fromEntries(
  Array.from({ length: 5 }, (_, i) => [`dir-${i % 2}/file-${i}.txt`, `content of file ${i}\n`.repeat(50 + i)]),
);

describe.each(gitsUnderTest())('ArtifactFS-style partial clone with $label', (git) => {
  const w = configuredWorld(git);
  let env: NodeJS.ProcessEnv;
  let askpassLog: string;

  beforeAll(async () => {
    askpassLog = path.join(w.home.dir, 'askpass.log');
    const askpass = path.join(w.home.dir, 'askpass');
    writeFileSync(askpass, `#!/bin/sh\necho "$1" >> '${askpassLog}'\nexit 1\n`);
    chmodSync(askpass, 0o755);
    // As ArtifactFS runs git: no GIT_TERMINAL_PROMPT at all (the home sets 0; undefined drops it).
    env = { GIT_TERMINAL_PROMPT: undefined, GIT_ASKPASS: askpass };
  });

  it('blobless clone over v2, then lazy blob fetches: read tokens only, one challenge per process, no prompt', async () => {
    expect((await w.home.run('sh', ['-c', 'echo "${GIT_TERMINAL_PROMPT-unset}"'], { env })).stdout).toBe('unset\n');
    const remote = await seededRepo(w.emu, w.home, 'afs', files);
    await w.emu.clearLog();
    const pc = 'partial';
    await ok(w.home, ['-c', 'protocol.version=2', 'clone', '-q', '--filter=blob:none', '--no-checkout', '--single-branch', remote, pc], undefined, { env });
    const tree = await ok(w.home, ['ls-tree', '-r', 'HEAD'], pc, { env });
    const blobs = tree.stdout.trim().split('\n').map((line) => {
      const [meta = '', name = ''] = line.split('\t');
      return { oid: meta.split(' ')[2] ?? '', name };
    });
    expect(blobs.map((b) => b.name).sort()).toEqual(Object.keys(files).sort());
    // The clone really left the blobs out: asking without lazy fetching fails.
    const offline = await w.home.git(['cat-file', '-e', blobs[0]!.oid], { cwd: path.join(w.home.dir, pc), env: { ...env, GIT_NO_LAZY_FETCH: '1' } });
    expect(offline.code).not.toBe(0);

    for (const blob of blobs) {
      const r = await ok(w.home, ['-c', 'protocol.version=2', 'cat-file', '-p', blob.oid], pc, { env });
      expect(r.stdout).toBe(files[blob.name]);
    }

    const log = await settledLog(w.emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['read']);
    const authed = gitRequests(log).filter((r) => r.tokenId);
    expect(authed.length).toBeGreaterThan(blobs.length);
    expect(new Set(authed.map((r) => `${r.service} ${r.scope}`))).toEqual(new Set(['upload-pack read']));
    // The clone's git-remote-http, then one per lazy fetch.
    expectOneChallengePerProcess(log, 1 + blobs.length, await proactive(w.home, git, remote));
    expect(existsSync(askpassLog) ? readFileSync(askpassLog, 'utf8') : '').toBe('');
  });
});
