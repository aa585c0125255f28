// `configure` / `unconfigure`: compute the block for an endpoint (plan.ts), show it with
// --dry-run, else write it into the global gitconfig. Idempotent: the same arguments leave
// the file untouched; unconfigure removes exactly what configure added.
import path from 'node:path';
import { endpointFromFlags, isCloudflareAccount, type Endpoint } from '../../endpoint/endpoint.js';
import { ArtifactsError, isArtifactsError } from '../../errors.js';
import { onPath } from '../../on-path.js';
import { tokenCacheDir } from '../../paths.js';
import type { Deps } from '../deps.js';
import { blockIds, removeBlock, upsertBlock, type Change } from '../../gitconfig/block.js';
import { configTarget, globalConfigPath, readConfig, refuseForeignTarget, removeConfig, writeConfig } from '../../gitconfig/global-file.js';
import { blockId, isOurLine, planEntries, sameHosts } from '../../gitconfig/plan.js';
import { selfCommand } from '../../self.js';
import { say } from '../../report.js';
import { checkSettingValues, knobs, type Knob } from '../../token/settings.js';
import { credentialTool, remoteTool } from '../../names.js';

export interface ConfigureOptions {
  account?: string;
  gitUrl?: string;
  apiUrl?: string;
  dryRun?: boolean;
  all?: boolean;
  [setting: string]: unknown;
}

const tool = credentialTool;

/** The brief's name for the namespace-scoped API base (docs/git-and-artifacts-behaviour.md, "REST control plane"). */
export const baseUrlEnv = 'ARTIFACTS_BASE_URL';

function target(o: ConfigureOptions, env: NodeJS.ProcessEnv): { endpoint: Endpoint; account: string | undefined } {
  const fromEnv = o.apiUrl === undefined && Boolean(env[baseUrlEnv]?.trim());
  const apiUrl = fromEnv ? namespaceBase(env[baseUrlEnv]!.trim()) : o.apiUrl;
  const account = o.account ?? (o.gitUrl === undefined && apiUrl === undefined ? env.CLOUDFLARE_ACCOUNT_ID || undefined : undefined);
  let found: ReturnType<typeof endpointFromFlags>;
  try {
    found = endpointFromFlags({ gitUrl: o.gitUrl, apiUrl, account });
  } catch (e) {
    if (!fromEnv || !isArtifactsError(e)) throw e;
    throw new ArtifactsError(e.code, `${e.message} (the API URL is ${baseUrlEnv} from the environment)`, {
      hint: `${e.hint ?? 'fix it'}; or give --api-url to override ${baseUrlEnv}`,
    });
  }
  const { endpoint, account: chosen } = found;
  // The account goes into a section header and a value: only the documented form gets there.
  return { endpoint, account: endpoint.kind === 'cloudflare' ? cloudflareAccount(chosen) : chosen };
}

/**
 * ARTIFACTS_BASE_URL may name a namespace (`…/v1/api/namespaces/<ns>`, as Artifacts' gateway examples
 * do: docs/git-and-artifacts-behaviour.md, "REST control plane"); the helper serves every namespace of the API, so the base is what gets configured.
 */
function namespaceBase(url: string): string {
  return url.replace(/(\/v1\/api)\/namespaces\/[^/?#]+\/?$/, '$1');
}

/** The account goes into a section header and a value: only the documented form gets there. */
function cloudflareAccount(account: string | undefined): string | undefined {
  if (account !== undefined && !isCloudflareAccount(account)) {
    throw new ArtifactsError('usage', `${JSON.stringify(account)} is not a Cloudflare account id (32 lowercase hex digits)`, {
      hint: 'find it in the dashboard URL or with `wrangler whoami`',
    });
  }
  return account;
}

function settingArgs(o: ConfigureOptions): string[] {
  const given = new Map<Knob, string>();
  for (const knob of knobs) {
    const value = o[knob.option];
    if (value !== undefined) given.set(knob, String(value));
  }
  // Baked into the helper command in the gitconfig: checked before anything is written.
  return checkSettingValues(given);
}

/**
 * Where git's `store` confirms the tokens we serve, so a revoked cached token heals
 * (src/token/served.ts). Not on Windows: Git for Windows' sh has its own pids, so $PPID there is
 * not the git process the helper sees as its parent, and no confirmation would ever match.
 */
function healArgs(env: NodeJS.ProcessEnv, platform = process.platform): string[] {
  return platform === 'win32' ? [] : ['--heal-dir', path.join(tokenCacheDir(env), 'served')];
}

export async function configure(o: ConfigureOptions, { io }: Pick<Deps, 'io'>): Promise<number> {
  const { endpoint, account } = target(o, io.env);
  const entries = planEntries({ endpoint, account, self: selfCommand(), settingArgs: [...settingArgs(o), ...healArgs(io.env)] });
  // The file git writes: a symlinked ~/.gitconfig stays a symlink (global-file.ts).
  const file = await configTarget(globalConfigPath(io.env));
  const { text } = await readConfig(file);
  const id = blockId(endpoint, account);
  // One block per set of hosts: a block for them under another id (another --account, or
  // none) is rewritten in place, not joined by a second one.
  const next = upsertBlock(text, id, entries, isOurLine, sameHosts(endpoint));
  // The change is reported once it has landed: a write that fails (a stale lock, a read-only
  // file) says so on stderr, and stdout never claimed it (issue 21, L3).
  if (!o.dryRun && next.change !== 'unchanged') {
    await refuseForeignTarget(globalConfigPath(io.env), file);
    await writeConfig(file, next.text);
  }
  describeChange(io, file, next.change, o.dryRun, next.text === text ? undefined : entries.map((e) => `${e.section}.${e.key}=${e.value}`));
  if (entries.some((e) => e.key === 'pushInsteadOf') && !onPath(remoteTool, io.env)) {
    say(tool, io.stderr, 'git-remote-artifacts is not on PATH, so git cannot route pushes through it ("remote-artifacts is not a git command")');
    say(
      tool,
      io.stderr,
      'hint: add the directory holding the git-remote-artifacts executable to PATH ' +
        "(npm's global bin for an npm install, ~/.local/bin for install/install.sh)",
    );
  }
  if (endpoint.kind === 'cloudflare' && !account) {
    say(
      tool,
      io.stderr,
      'no --account given: fetch and clone work, but pushes of plain https remotes will use read tokens; ' +
        'run `configure --account <ACCOUNT_ID>` to route pushes through git-remote-artifacts',
    );
  }
  return 0;
}

export async function unconfigure(o: ConfigureOptions, { io }: Pick<Deps, 'io'>): Promise<number> {
  const file = await configTarget(globalConfigPath(io.env));
  const { text, exists } = await readConfig(file);
  if (!exists) return 0;
  const targeted = o.gitUrl !== undefined || o.apiUrl !== undefined || o.account !== undefined;
  const ids = targeted ? [blockIdFor(o, io.env)] : blockIds(text);
  if (ids.length === 0) describeChange(io, file, 'absent', o.dryRun);
  let next = text;
  const changes: Array<{ change: Change; id: string }> = [];
  for (const id of ids) {
    const r = removeBlock(next, id, isOurLine);
    changes.push({ change: r.change, id });
    next = r.text;
  }
  if (!o.dryRun && next !== text) {
    await refuseForeignTarget(globalConfigPath(io.env), file);
    // Nothing left but what configure added to a file it created: remove the file, unless it is
    // a symlink's target (a dotfiles link would be left dangling).
    if (next === '' && file === globalConfigPath(io.env)) await removeConfig(file);
    else await writeConfig(file, next);
  }
  // Reported after the write landed, as configure does.
  for (const { change, id } of changes) describeChange(io, file, change, o.dryRun, undefined, id);
  return 0;
}

function blockIdFor(o: ConfigureOptions, env: NodeJS.ProcessEnv): string {
  const { endpoint, account } = target(o, env);
  return blockId(endpoint, account);
}

function describeChange(io: Deps['io'], file: string, change: Change, dryRun: boolean | undefined, lines?: string[], id?: string): void {
  const verb = dryRun ? 'would be' : 'was';
  const what = id ? `block ${id}` : 'Artifacts configuration';
  const text: Record<Change, string> = {
    added: `${what} ${verb} added to ${file}`,
    replaced: `${what} ${verb} updated in ${file}`,
    unchanged: `${file} already has this configuration; nothing to change`,
    removed: `${what} ${verb} removed from ${file}`,
    absent: `${what} is not in ${file}; nothing to remove`,
  };
  io.stdout.write(`${text[change]}\n`);
  if (dryRun && lines) for (const l of lines) io.stdout.write(`  ${l}\n`);
}
