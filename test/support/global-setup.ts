import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Build dist/ once per run so the e2e suite drives exactly the bundles that ship.
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'install', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
