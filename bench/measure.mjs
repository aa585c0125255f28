// Timing commands for run.mjs: one run, a median, and commands run alternately so load on the
// machine hits each alike.
import { spawnSync } from 'node:child_process';

export function once(cmd, { env, input = '', cwd, check = true }) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { env, input, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (check && r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: String(r.stdout) };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the commands alternately `n` times (after 3 warm-ups each); medians in ms. */
export function alternately(cmds, n) {
  const times = cmds.map(() => []);
  for (let i = 0; i < n + 3; i++) {
    cmds.forEach((c, j) => {
      c.before?.();
      const { ms } = once(c.cmd, c);
      if (i >= 3) times[j].push(ms);
    });
  }
  return times.map(median);
}
