// Before the tests: make sure the Debian packages they use are present (Chromium for the browser tests, python3-onnx for
// ONNX's own model checker), installing them as root with apt-get; a browser build is never downloaded.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasOnnxChecker = () => spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!hasOnnxChecker()) missing.push('python3-onnx');
if (missing.length === 0) process.exit(0);

if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log(`Installing Debian packages for the tests: ${missing.join(', ')} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (run(['update', '-qq']) && run(['install', '-y', '-qq', '--no-install-recommends', ...missing]) && existsSync(chromium) && hasOnnxChecker()) {
    process.exit(0);
  }
}
console.error(`The tests need Debian's ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')} (set CHROMIUM_PATH for another Chromium).`);
process.exit(1);
