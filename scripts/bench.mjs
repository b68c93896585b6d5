// `npm run bench [-- flags]`: runs bench/run.ts from source through jiti (a TypeScript loader already in node_modules) and passes its exit code on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jiti = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'jiti.cmd' : 'jiti');
if (!existsSync(jiti)) {
  console.error('bench: node_modules/.bin/jiti is missing; run npm install first');
  process.exit(1);
}
const r = spawnSync(jiti, [join(root, 'bench', 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
