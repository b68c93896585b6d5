// Before the tests: make sure the Debian packages they use (TEST_PACKAGES) are present, installing them as root with
// apt-get; a browser build is never downloaded.
import { TEST_PACKAGES, ensureDebianPackages } from './debian-packages.mjs';

const missing = ensureDebianPackages('the tests', TEST_PACKAGES);
if (missing.length > 0) {
  console.error(`The tests need Debian's ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')} (set CHROMIUM_PATH for another Chromium).`);
  process.exit(1);
}
