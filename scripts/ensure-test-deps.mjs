// Before the tests: make sure the Debian packages they use are present (Chromium for the browser tests, python3-onnx for
// ONNX's own model checker), installing them as root with apt-get; a browser build is never downloaded.
import { existsSync } from 'node:fs';
import { ensureDebianPackages, pythonImports } from './debian-packages.mjs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missing = ensureDebianPackages('the tests', [
  { name: 'chromium', present: () => existsSync(chromium) },
  { name: 'python3-onnx', present: () => pythonImports('onnx') },
]);
if (missing.length > 0) {
  console.error(`The tests need Debian's ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')} (set CHROMIUM_PATH for another Chromium).`);
  process.exit(1);
}
