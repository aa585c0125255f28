// Whether a command would be found on PATH, as a shell or git would look for it.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function onPath(name: string, env: NodeJS.ProcessEnv, platform = process.platform): boolean {
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && exts.some((ext) => existsSync(path.join(dir, name + ext))));
}
