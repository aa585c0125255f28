// The human side of git-credential-artifacts (commander). Loaded only when isHelperCall()
// says a person is calling (src/cli/entry.ts), so git's get/store/erase never pay for it.
// Each command is registered with program.command(), so it inherits exitOverride() and
// configureOutput() (in-process callers keep their streams and their exit codes), and loads
// its own code with import() only when it runs.
import { Command, CommanderError, Option } from 'commander';
import type { Io } from '../io.js';
import { report } from '../report.js';
import { knobs } from '../token/settings.js';
import type { ConfigureOptions } from './commands/configure.js';
import type { Deps } from './deps.js';
import { credentialTool } from '../names.js';

const tool = credentialTool;
declare const __VERSION__: string | undefined;

function endpointOptions(cmd: Command): Command {
  return cmd
    .option('--account <id>', 'account id (Cloudflare: 32 hex digits; default $CLOUDFLARE_ACCOUNT_ID); needed to route pushes')
    .option('--git-url <url>', 'git endpoint of a custom Artifacts, e.g. the emulator at http://127.0.0.1:PORT')
    .option('--api-url <url>', 'REST base of that endpoint, e.g. http://127.0.0.1:PORT/client/v4')
    .option('--dry-run', 'print what would change and change nothing');
}

export function buildProgram(io: Io, done: (code: number) => void, makeDeps?: (io: Io) => Deps): Command {
  // Each command's code and the deps it runs with are loaded only when that command runs.
  const deps = async (): Promise<Deps> => (makeDeps ?? (await import('./deps.js')).defaultDeps)(io);
  const program = new Command(tool)
    .description('git credential helper for Cloudflare Artifacts: mints and caches short-lived, repo-scoped tokens')
    .version(typeof __VERSION__ === 'string' ? __VERSION__ : 'dev')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // commander's own errors ("error: unknown option '--bogus'") carry our name, like ours.
      outputError: (s, write) => write(`${tool}: ${s.replace(/^error: /, '')}`),
    })
    .showHelpAfterError(`${tool}: hint: see \`${tool} --help\``)
    .exitOverride()
    .addHelpText(
      'after',
      `\ngit runs this helper as \`${tool} get|store|erase\` (see \`configure\`).\nEnvironment: CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ARTIFACTS_TRACE, ARTIFACTS_CACHE_DIR,\n${knobs.map((k) => k.env).join(', ')}.`,
    );

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
  return program;
}

export async function programMain(io: Io, makeDeps?: (io: Io) => Deps): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c), makeDeps);
  try {
    if (io.argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(io.argv, { from: 'user' });
    return code;
  } catch (e) {
    // --help and --version exit 0; every other commander error is bad usage (2).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return report(tool, e, io.stderr);
  }
}
