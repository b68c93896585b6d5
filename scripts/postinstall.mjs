// Fetches the Electron binary where the network allows; without it the studio runs as a local server.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0); // electron not installed (production install of a packaged app)
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('diffusion-studio: ELECTRON_SKIP_BINARY_DOWNLOAD set; the studio will run as a local server (npm run serve).');
  process.exit(0);
}
const run = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
const pathFile = installer.replace(/install\.js$/, 'path.txt');
if (run.status !== 0 || !existsSync(pathFile)) {
  console.log('diffusion-studio: the Electron binary could not be downloaded; `npm start` will run the studio as a local server in your browser.');
}
process.exit(0);
