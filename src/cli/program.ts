// The human side of git-credential-artifacts (commander). Loaded only when the first
// argument is not a credential action, so git's get/store/erase never pay for it.
import { Command, CommanderError, Option } from 'commander';
import type { Io } from '../io.js';
import { report } from '../report.js';
import { configure, unconfigure, type ConfigureOptions } from './configure.js';

const tool = 'git-credential-artifacts';
declare const __VERSION__: string | undefined;

function endpointOptions(cmd: Command): Command {
  return cmd
    .option('--account <id>', 'account id (Cloudflare: 32 hex digits; default $CLOUDFLARE_ACCOUNT_ID); needed to route pushes')
    .option('--git-url <url>', 'git endpoint of a custom Artifacts, e.g. the emulator at http://127.0.0.1:PORT')
    .option('--api-url <url>', 'REST base of that endpoint, e.g. http://127.0.0.1:PORT/client/v4')
    .option('--dry-run', 'print what would change and change nothing');
}

export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command(tool)
    .description('git credential helper for Cloudflare Artifacts: mints and caches short-lived, repo-scoped tokens')
    .version(typeof __VERSION__ === 'string' ? __VERSION__ : 'dev')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .addHelpText(
      'after',
      '\ngit runs this helper as `git-credential-artifacts get|store|erase` (see `configure`).\nEnvironment: CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ARTIFACTS_TRACE, ARTIFACTS_READ_TTL,\nARTIFACTS_WRITE_TTL, ARTIFACTS_REFRESH_MARGIN, ARTIFACTS_TIMEOUT, ARTIFACTS_CACHE_DIR.',
    );

  const configureCmd = endpointOptions(new Command('configure'))
    .description('set up git (global gitconfig) to use this helper for Artifacts remotes')
    .addOption(new Option('--read-ttl <seconds>', 'TTL asked for read tokens (default 3600)'))
    .addOption(new Option('--write-ttl <seconds>', 'TTL asked for write tokens (default 900)'))
    .addOption(new Option('--refresh-margin <seconds>', 'hand out cached tokens only with this much life left (default 300)'))
    .addOption(new Option('--timeout <seconds>', 'upper bound for one credential request (default 20)'))
    .action(async (o: ConfigureOptions) => {
      done(await configure(o, io));
    });
  const unconfigureCmd = endpointOptions(new Command('unconfigure'))
    .description('remove exactly what configure added (all endpoints, or the one named)')
    .action(async (o: ConfigureOptions) => {
      done(await unconfigure(o, io));
    });
  program.addCommand(configureCmd).addCommand(unconfigureCmd);
  return program;
}

export async function programMain(io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    if (io.argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(io.argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return report(tool, e, io.stderr);
  }
}
