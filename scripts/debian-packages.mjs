// Debian packages a script needs: those missing are installed with apt-get when running as root; never a download of our own.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** True when Debian's Python imports the module. */
export const pythonImports = (module) => spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** True when dpkg lists the package as installed. */
export const debianInstalled = (name) => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;

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
