// `npm run bench [-- flags]`: runs bench/run.ts from source through jiti (a TypeScript loader already in node_modules) and passes its exit code on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianInstalled, ensureDebianPackages, pythonImports } from './debian-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jiti = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'jiti.cmd' : 'jiti');
if (!existsSync(jiti)) {
  console.error('bench: node_modules/.bin/jiti is missing; run npm install first');
  process.exit(1);
}
// PyTorch (Debian's, with its OpenBLAS) is the reference the ratios are taken against; without it they read '-'
if (!process.argv.includes('--no-torch')) {
  const missing = ensureDebianPackages('the PyTorch reference', [
    { name: 'python3-torch', present: () => pythonImports('torch') },
    { name: 'libopenblas0-pthread', present: () => debianInstalled('libopenblas0-pthread') },
    // POT: the exact and entropic plans of the transport task's reference
    { name: 'python3-pot', present: () => pythonImports('ot') },
  ]);
  if (missing.length > 0) console.error(`bench: without ${missing.join(', ')} (sudo apt-get install ${missing.join(' ')}) PyTorch is left out`);
}
const r = spawnSync(jiti, [join(root, 'bench', 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
