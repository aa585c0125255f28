// No minted token ever shows up where people and other users can see it: not in any output
// with every git and helper trace switched on, and not in any process's argv (sampled from
// /proc while clones and pushes run, and as git itself logs every command it starts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import type { Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { cachedSecrets, commitFile, mints, settledLog } from './support.js';

const traces = { GIT_TRACE: '1', GIT_TRACE_CURL: '1', GIT_TRANSPORT_HELPER_DEBUG: '1', ARTIFACTS_TRACE: '1' };

/** Collects the distinct argv of every process, as often as it can, until stopped. */
function sampleArgv(): { stop: () => Promise<Set<string>>; rounds: () => number } {
  const seen = new Set<string>();
  let running = true;
  let rounds = 0;
  const done = (async () => {
    while (running) {
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          seen.add(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' '));
        } catch {
          // The process ended between readdir and read.
        }
      }
      rounds++;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return seen;
    },
    rounds: () => rounds,
  };
}

describe.runIf(process.platform === 'linux').each(gitsUnderTest())('no token in output or argv with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;
  withConfiguredHome(git, (w) => ({ emu, home } = w));

  it('clone + push over https and artifacts://, every trace on', async () => {
    const repo = await emu.createRepo('default', 'secret-1');
    const sampler = sampleArgv();
    let output = '';
    const step = async (args: string[], cwd?: string) => {
      const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd), env: traces });
      output += r.stdout + r.stderr;
      expect(r.code, `git ${args.join(' ')}\n${r.stderr.slice(-2000)}`).toBe(0);
    };
    await step(['clone', repo.remote, 'h']);
    await commitFile(home, 'h', 'a.txt', 'a');
    await step(['push', 'origin', 'main'], 'h');
    await step(['clone', 'artifacts://default/secret-1', 'n']);
    await commitFile(home, 'n', 'b.txt', 'b');
    await step(['push', 'origin', 'main'], 'n');
    await step(['fetch'], 'h');
    const argv = await sampler.stop();

    const log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['read', 'write']);
    const secrets = cachedSecrets(home);
    expect(secrets.length).toBeGreaterThanOrEqual(4); // read and write: plaintext, encoded, secret
    // The traces really were on, and the sampler really saw our processes.
    expect(output).toMatch(/git-remote-artifacts\[\d+\] operation.write/);
    expect(output).toMatch(/git-credential-artifacts\[\d+\] answer scope=write/);
    expect(output).toMatch(/=> Send header/);
    expect([...argv].some((a) => a.includes('git-remote-artifacts'))).toBe(true);
    expect([...argv].some((a) => /git-credential-artifacts(\.cjs)? .* get $/.test(a))).toBe(true);
    expect(sampler.rounds()).toBeGreaterThan(10);
    for (const s of secrets) {
      expect(output.includes(s), 'a token in the traced output').toBe(false);
      expect([...argv].filter((a) => a.includes(s)), 'a token in some argv').toEqual([]);
    }
    // git's own record of every command it started (GIT_TRACE run_command/exec lines).
    expect(output).toMatch(/trace: (run_command|exec|start_command)/);
  });
});
