// How git should start this tool: the single executable by itself, or this Node with the
// bundle's real path (absolute, so it works whatever PATH git runs with, e.g. under nvm).
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';

export function isSingleExecutable(): boolean {
  try {
    const sea = createRequire(__filename)('node:sea') as { isSea(): boolean };
    return sea.isSea();
  } catch {
    return false;
  }
}

export function selfCommand(argv1: string | undefined = process.argv[1]): string[] {
  if (isSingleExecutable() || !argv1) return [process.execPath];
  return [process.execPath, realpathSync(argv1)];
}
