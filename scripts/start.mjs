// `npm start` / `npm run serve`: build, then open the desktop app, or the local server where Electron is absent.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const serveOnly = args[0] === '--serve';
const passThrough = serveOnly ? args.slice(1) : args;
// npm runs scripts in the package folder; the studio runs where the command was typed, so that files and a
// --workspace named relative to it are found there
const userCwd = process.env.INIT_CWD && existsSync(process.env.INIT_CWD) ? process.env.INIT_CWD : process.cwd();

function electronBinary() {
  try {
    const path = require('electron'); // a string path once the binary is installed; throws otherwise
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** electron-vite's command-line entry, found through its package.json (its `exports` hide the bin file itself). */
function electronViteBin() {
  const manifest = require.resolve('electron-vite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin['electron-vite']);
}

if (!process.env.STUDIO_SKIP_BUILD) {
  const build = spawnSync(process.execPath, [electronViteBin(), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const electron = serveOnly ? null : electronBinary();
let child;
if (electron) {
  child = spawn(electron, [resolve(root), ...passThrough], { cwd: userCwd, stdio: 'inherit' });
} else {
  if (!serveOnly) console.log('The Electron binary is not installed here; starting the studio as a local server instead.');
  child = spawn(process.execPath, [join(root, 'out/main/serve.js'), ...passThrough], { cwd: userCwd, stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
