// Starting a Windows batch file (npm's `wrangler.cmd` shim) safely: found on PATH with
// PATHEXT as cmd.exe would, then run through cmd.exe only with words that cmd.exe cannot
// re-parse. Pure in (argv, env, platform); child-process.ts applies it to every start().
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ArtifactsError } from './errors.js';

/** A command and its arguments, as every start() takes them (child-process.ts re-exports it). */
export type Argv = readonly [command: string, ...args: string[]];

/** Windows environment names are case-insensitive (ComSpec, COMSPEC under Wine); a copied env object is not. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

/** A Windows batch file (npm's `wrangler.cmd` shim) that name finds on PATH, with PATHEXT's order; undefined elsewhere or for an .exe. */
export function batchOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, exists: (f: string) => boolean = existsSync): string | undefined {
  if (platform !== 'win32' || /[\\/]/.test(name) || path.win32.extname(name) !== '') return undefined;
  const exts = (envValue(env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  for (const dir of (envValue(env, 'PATH') ?? '').split(';').filter(Boolean)) {
    for (const ext of exts) {
      const file = path.win32.join(dir, name + ext.toLowerCase());
      if (exists(file)) return /^\.(cmd|bat)$/i.test(ext) ? file : undefined;
    }
  }
  return undefined;
}

/**
 * How to start argv: as given, or on Windows, for a batch file, through cmd.exe
 * (CreateProcess cannot run one, and Node refuses to since CVE-2024-27980). cmd.exe re-parses
 * its command line (% expansion, & | < > ^ "), and no quoting makes every string safe there,
 * so only words of plain characters may pass: anything else is refused, never escaped.
 */
export function spawnPlan(
  argv: Argv,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  exists?: (f: string) => boolean,
): { argv: Argv; verbatim: boolean } {
  const batch = batchOnPath(argv[0], env, platform, exists);
  if (!batch) return { argv, verbatim: false };
  const plain = /^[A-Za-z0-9_.,:=@+\/\\-]+$/;
  const unsafe = argv.slice(1).find((a) => !plain.test(a)) ?? (/[%"^&|<>!]/.test(batch) ? batch : undefined);
  if (unsafe !== undefined) {
    throw new ArtifactsError('process.failed', `cannot run the batch file ${batch} with ${JSON.stringify(unsafe)}: cmd.exe would re-parse it`, {
      hint: `install ${argv[0]} as an .exe, or where its path has no % " ^ & | < > !`,
    });
  }
  const comspec = envValue(env, 'ComSpec') ?? path.win32.join(envValue(env, 'SystemRoot') ?? 'C:\\Windows', 'System32', 'cmd.exe');
  // /d: no AutoRun commands from the registry; /s /c "…": cmd strips exactly the outer quotes.
  return { argv: [comspec, '/d', '/s', '/c', `""${batch}" ${argv.slice(1).join(' ')}"`], verbatim: true };
}
