// Makes `npm run demo` and `npm test` work on a fresh clone with no other step: installs the
// locked dependencies when node_modules is missing or older than package-lock.json, then
// builds dist/. Uses only Node built-ins, because it runs before any dependency exists.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  process.stderr.write('bootstrap: installing locked dependencies (npm ci)\n');
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
}
execFileSync(process.execPath, [path.join(root, 'install', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
