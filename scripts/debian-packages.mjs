// Debian packages a script needs: those missing are installed with apt-get when running as root; never a download of our own.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** True when Debian's Python imports the module. */
export const pythonImports = (module) => spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** True when dpkg lists the package as installed. */
export const debianInstalled = (name) => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;

/** The Chromium the browser tests drive (CHROMIUM_PATH points at another one). */
export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** onnx.proto as python3-onnx installs it: the schema the committed onnx-schema.json is checked against. */
export const ONNX_PROTO = '/usr/lib/python3/dist-packages/onnx/onnx.proto';

/**
 * Every Debian package the tests use, each with the check that it is there: `npm test` installs the missing ones
 * (scripts/ensure-test-deps.mjs) and test/prerequisites.ts names them when a test finds one missing.
 */
export const TEST_PACKAGES = [
  // the browser tests (playwright-core drives it; no browser is ever downloaded)
  { name: 'chromium', present: () => existsSync(chromiumPath()) },
  // ONNX's own model checker, and the onnx.proto the committed schema is compared with
  { name: 'python3-onnx', present: () => pythonImports('onnx') && existsSync(ONNX_PROTO) },
  // NumPy reads and writes the NPY files of the round-trip tests (python3-onnx pulls it in, but the tests use it directly)
  { name: 'python3-numpy', present: () => pythonImports('numpy') },
  // protoc parses an exported Triton config.pbtxt against Triton's own schema (and builds the Python module that reads it back)
  { name: 'protobuf-compiler', present: () => existsSync('/usr/bin/protoc') },
  // the Python protobuf runtime that module needs (python3-onnx pulls it in, but the Triton test uses it directly)
  { name: 'python3-protobuf', present: () => pythonImports('google.protobuf') },
  // update-mime-database and freedesktop's type list: the installers' file types checked against a real mime database (chromium's GTK pulls it in)
  { name: 'shared-mime-info', present: () => existsSync('/usr/bin/update-mime-database') && existsSync('/usr/share/mime/packages/freedesktop.org.xml') },
];

/**
 * Makes sure each { name, present } package is there, installing the missing ones as root; returns the names still
 * missing (empty when all are present).
 */
export function ensureDebianPackages(purpose, packages) {
  const missing = () => packages.filter((p) => !p.present()).map((p) => p.name);
  const before = missing();
  if (before.length === 0 || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return before;
  console.log(`Installing Debian packages for ${purpose}: ${before.join(', ')} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (run(['update', '-qq'])) run(['install', '-y', '-qq', '--no-install-recommends', ...before]);
  return missing();
}
