// The built bundles keep the process rules: a sandbox-ready preload, and a server that runs without Electron.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { built, have } from '../prerequisites';

function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s*|import\s*\(?|require\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
  const external = new Set<string>();
  for (const spec of specs) {
    if (spec.startsWith('.')) {
      const next = join(file, '..', spec);
      if (!seen.has(next) && existsSync(next)) {
        seen.add(next);
        for (const s of importsOf(next, seen)) external.add(s);
      }
    } else external.add(spec);
  }
  return external;
}

describe.runIf(have(built('out/main/serve.js', 'out/preload/index.cjs')))('bundles (after npm run build)', () => {
  it('the preload is one CommonJS file that requires only electron', () => {
    expect(readdirSync('out/preload')).toEqual(['index.cjs']);
    expect([...importsOf('out/preload/index.cjs')]).toEqual(['electron']);
  });
  it('the headless server never loads Electron', () => {
    const specs = [...importsOf('out/main/serve.js')];
    expect(specs).toContain('ws');
    expect(specs.filter((s) => s === 'electron' || s.startsWith('electron/'))).toEqual([]);
  });
});

it('npm test builds before it tests', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.test.indexOf('npm run build')).toBeLessThan(pkg.scripts.test.indexOf('vitest run'));
});
