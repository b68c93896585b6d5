// Before the tests: make sure Debian's Chromium is present for the browser tests (installs it as root, never downloads a browser build).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = process.getuid?.() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('Installing Debian chromium for the browser tests (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (run(['update', '-qq']) && run(['install', '-y', '-qq', '--no-install-recommends', 'chromium']) && existsSync(path)) process.exit(0);
}
console.error(`The browser tests need Chromium at ${path}. On Debian/Ubuntu: sudo apt-get install chromium (or set CHROMIUM_PATH).`);
process.exit(1);
