// The human side of git-credential-artifacts (commander). Loaded only when isHelperCall()
// says a person is calling (src/cli/entry.ts), so git's get/store/erase never pay for it.
// Each command is registered with program.command(), so it inherits exitOverride() and
// configureOutput() (in-process callers keep their streams and their exit codes), and loads
// its own code with import() only when it runs.
import { Argument, Command, CommanderError, Option } from 'commander';
import { ArtifactsError } from '../errors.js';
import type { Io } from '../io.js';
import { commanderErrorText, humanOutput } from '../commander-style.js';
import { report } from '../report.js';
import { knobs } from '../token/settings.js';
import type { ConfigureOptions } from './commands/configure.js';
import type { Deps } from './deps.js';
import type { LoginOptions } from './commands/login.js';
import type { LogoutOptions } from './commands/logout.js';
import type { RevokeOptions } from './commands/revoke.js';
import type { StatusOptions } from './commands/status.js';
import type { TokenOptions } from './commands/token.js';
import type { Shell } from './completion-scripts.js';
import { credentialTool, version } from '../names.js';

const tool = credentialTool;

function endpointOptions(cmd: Command): Command {
  return cmd
    .option(
      '--account <id>',
      'account id (Cloudflare: 32 hex digits; default $CLOUDFLARE_ACCOUNT_ID); needed to route pushes; none with a namespace-scoped --api-url',
    )
    .option('--git-url <url>', 'git endpoint of a custom Artifacts, e.g. the emulator at http://127.0.0.1:PORT')
    .option(
      '--api-url <url>',
      'REST base of that endpoint: account-scoped …/client/v4, or namespace-scoped …/v1/api (gateway JWT in $ARTIFACTS_JWT); default $ARTIFACTS_BASE_URL',
    )
    .option('--dry-run', 'print what would change and change nothing');
}

export function buildProgram(io: Io, done: (code: number) => void, makeDeps?: (io: Io) => Deps): Command {
  // Each command's code and the deps it runs with are loaded only when that command runs.
  const deps = async (): Promise<Deps> => (makeDeps ?? (await import('./deps.js')).defaultDeps)(io);
  // commander's own errors ("error: unknown option '--bogus'") carry our name, like ours, and never a value.
  const program = humanOutput(new Command(tool), io, tool)
    .description('git credential helper for Cloudflare Artifacts: mints and caches short-lived, repo-scoped tokens')
    .version(version)
    .addHelpText(
      'after',
      `\ngit runs this helper as \`${tool} get|store|erase\` (see \`configure\`); sign in once with \`login\`.\n` +
        `Environment: CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ARTIFACTS_TRACE, ARTIFACTS_CACHE_DIR,\n${knobs.map((k) => k.env).join(', ')}.`,
    );
  // The order here is the order `--help` lists the commands in.
  addConfigureCommands(program, done, deps);
  addLoginCommands(program, done, deps);
  addInspectCommands(program, done, deps);
  addTokenCommands(program, io, done, deps);
  addDoctorCommand(program, done, deps);
  return program;
}

/** `configure` and `unconfigure`: the global gitconfig. */
function addConfigureCommands(program: Command, done: (code: number) => void, deps: () => Promise<Deps>): void {
  const configureCmd = endpointOptions(program.command('configure'))
    .description('set up git (global gitconfig) to use this helper for Artifacts remotes')
    .action(async (o: ConfigureOptions) => {
      done(await (await import('./commands/configure.js')).configure(o, await deps()));
    });
  for (const knob of knobs) {
    configureCmd.addOption(new Option(`${knob.flag} <seconds>`, `${knob.help}, ${knob.min}..${knob.max} (default ${knob.default}; env ${knob.env})`));
  }
  endpointOptions(program.command('unconfigure'))
    .description('remove exactly what configure added (all endpoints, or the one named)')
    .action(async (o: ConfigureOptions) => {
      done(await (await import('./commands/configure.js')).unconfigure(o, await deps()));
    });
}

/** `login` and `logout`: the stored API token. */
function addLoginCommands(program: Command, done: (code: number) => void, deps: () => Promise<Deps>): void {
  program
    .command('login')
    .description('sign in once: keep a Cloudflare API token (checked first) in the OS keychain, so every git process of this user can mint')
    .option('--with-token', 'read the API token from stdin (else a hidden prompt on a terminal; never from argv)')
    .option('--account <id>', 'the account this login is for (default: what configure set; none: every account on the API URL)')
    .option('--api-url <url>', 'REST base (default: what configure set, else https://api.cloudflare.com/client/v4)')
    .option('--insecure-storage', 'keep the token in a private file (0600) instead of the OS keychain')
    .option('--json', 'machine-readable: {api_url, account, store, file, token_id}')
    .action(async (o: LoginOptions) => {
      done(await (await import('./commands/login.js')).login(o, await deps()));
    });
  program
    .command('logout')
    .description('revoke the repo tokens minted for a login that are still cached, then forget them and the login')
    .option('--account <id>', 'the login for this account')
    .option('--api-url <url>', 'the login for this REST base')
    .option('--all', 'every login')
    .option('--json', 'machine-readable: {logged_out[], kept[], tokens[]} (keys in README, "Scripts: --json")')
    .action(async (o: LogoutOptions) => {
      done(await (await import('./commands/logout.js')).logout(o, await deps()));
    });
}

/** `status` and `revoke`: the cached repo tokens. */
function addInspectCommands(program: Command, done: (code: number) => void, deps: () => Promise<Deps>): void {
  program
    .command('status')
    .description('where a mint would get its API token now, and the cached repo tokens (never a secret)')
    .option('--json', 'machine-readable: endpoints[].{api_url, account, source, tokens[].{namespace, repo, scope, id, expires_at, seconds_left}}')
    .option('--ask-wrangler', 'run `wrangler auth token` to tell a valid wrangler login from an expired one (takes seconds)')
    .action(async (o: StatusOptions) => {
      done(await (await import('./commands/status.js')).status(o, await deps()));
    });
  program
    .command('revoke')
    .argument('[namespace/repo]', 'the repo whose cached tokens to revoke')
    .description('revoke cached repo tokens on the server and drop them locally')
    .addOption(new Option('--scope <scope>', 'only tokens of this scope').choices(['read', 'write']))
    .option('--all', 'every cached token')
    .option('--json', 'machine-readable: {tokens[].{api_url, account, namespace, repo, scope, id, outcome, error}}')
    .action(async (repo: string | undefined, o: RevokeOptions) => {
      done(await (await import('./commands/revoke.js')).revoke(repo, o, await deps()));
    });
}

/** `doctor`: every check git needs, each with its fix. */
function addDoctorCommand(program: Command, done: (code: number) => void, deps: () => Promise<Deps>): void {
  program
    .command('doctor')
    .argument('[remote-or-url]', 'a remote of the repository here, or a repository URL, to check that one')
    .description('check everything git needs to use this helper, and print the command that fixes what is wrong (exit 1 if anything fails)')
    .option('--json', 'one JSON document: {ok, checks[].{id, status: ok|warn|fail, found, fix}}')
    .action(async (target: string | undefined, o: { json?: boolean }) => {
      done(await (await import('./commands/doctor.js')).doctor(o, target, await deps()));
    });
}

/** `token` and `completion` (issue 23): what scripts and shells use. */
function addTokenCommands(program: Command, io: Io, done: (code: number) => void, deps: () => Promise<Deps>): void {
  program
    .command('token')
    .argument('<namespace/repo>', 'the repo the token is for, e.g. default/my-repo')
    .description("print one repo token (git's own cached one, else a new one): for http.extraHeader, curl, a sandbox")
    .addOption(new Option('--scope <scope>', 'what the token may do').choices(['read', 'write']).default('read'))
    .option('--ttl <seconds>', "lifetime asked for a new token, and the most a cached one may have left (default: configure's, or 3600 read, 900 write)")
    .option('--json', 'machine-readable: {token, scope, expires_at}')
    .option('--account <id>', 'the account (default: what configure set, else $CLOUDFLARE_ACCOUNT_ID)')
    .option('--git-url <url>', 'the git endpoint (default: the one configure set up)')
    .option('--api-url <url>', 'its REST base (default: the one configure set up)')
    .action(async (repo: string, o: TokenOptions) => {
      done(await (await import('./commands/token.js')).token(repo, o, await deps()));
    });
  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .description('print the shell completion script for bash, zsh or fish (see README, "Shell completion")')
    .action(async (shell: Shell) => {
      done((await import('./commands/completion.js')).completion(shell, program, io));
    });
}

export async function programMain(io: Io, makeDeps?: (io: Io) => Deps): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c), makeDeps);
  try {
    if (io.argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    refuseTokenInArgv(io.argv);
    refuseHelpForNothing(io.argv, program.commands.map((c) => c.name()));
    await program.parseAsync(io.argv, { from: 'user' });
    return code;
  } catch (e) {
    // --help and --version exit 0; every other commander error is bad usage (2).
    if (e instanceof CommanderError) {
      // `doctor --json` answers one JSON document whatever happens, a usage error included.
      if (e.exitCode !== 0 && io.argv[0] === 'doctor' && io.argv.includes('--json')) {
        const found = commanderErrorText(e.message);
        io.stdout.write(`${JSON.stringify({ ok: false, checks: [{ id: 'usage', status: 'fail', found, fix: `see \`${tool} doctor --help\`` }] }, null, 2)}\n`);
      }
      return e.exitCode === 0 ? 0 : 2;
    }
    return report(tool, e, io.stderr);
  }
}

/**
 * `login --with-token=<token>`: commander would call it an unknown option and echo it. Said
 * plainly instead, without the value (issue 21): the token comes from stdin, never from argv.
 */
function refuseTokenInArgv(argv: readonly string[]): void {
  if (argv[0] !== 'login' || !argv.some((a) => /^--with-token=/.test(a))) return;
  const message = '--with-token takes no value: the token is read from stdin, never from the command line (the value given was not used, and is not shown)';
  throw new ArtifactsError('usage', message, {
    hint:
      `pipe it in: \`printf %s "$TOKEN" | ${tool} login --with-token\`; ` +
      'a token typed on a command line may be in your shell history, so consider rolling it',
  });
}

/** `help nosuch`: commander prints the whole help on stderr; one line naming the commands says more. */
function refuseHelpForNothing(argv: readonly string[], commands: string[]): void {
  if (argv[0] !== 'help' || argv[1] === undefined || commands.includes(argv[1])) return;
  const asked = argv[1].length > 40 ? `${argv[1].slice(0, 40)}…` : argv[1];
  throw new ArtifactsError('usage', `no command ${JSON.stringify(asked)}; the commands are ${commands.filter((c) => c !== 'help').join(', ')}`, {
    hint: `see \`${tool} --help\`, or \`${tool} help <command>\``,
  });
}
