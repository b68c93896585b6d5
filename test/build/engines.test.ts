// The Node version the README and package.json name is one every installed package accepts (npm warns on the rest).
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
const oldest = semver.minVersion(manifest.engines.node)!;

describe('Node version', () => {
  it('package.json names a lowest Node version', () => {
    expect(oldest).not.toBeNull();
  });

  it('every locked package accepts the lowest Node version package.json allows', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')} needs node ${(p.engines as { node: string }).node}`);
    expect(refusing, `these packages refuse Node ${oldest.version}`).toEqual([]);
  });

  it('the README names the same lowest version', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`Node.js ${oldest.major}.${oldest.minor} or newer`);
  });
});
