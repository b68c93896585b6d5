// The installer configuration passes electron-builder's own schema and keeps native modules out of the asar.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';

const require = createRequire(import.meta.url);
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own validator", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    // The same validator refuses a key it does not know, so the check above has teeth.
    await expect(validateConfiguration({ ...structuredClone(config), notAnOption: true }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration/);
  });

  it('builds the installers the studio ships and unpacks native modules', () => {
    const targets = (key: string) => (config[key] as { target: string[] }).target;
    expect(targets('linux')).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targets('mac')).toContain('dmg');
    expect(targets('win')).toContain('nsis');
    expect(config.npmRebuild).toBe(false);
    const unpack = (config.asarUnpack as string[]).join(' ');
    // tfjs's wasm backend reads its .wasm files by path, which must not sit inside the asar
    for (const ext of ['node', 'dll', 'dylib', 'so', 'wasm']) expect(unpack).toContain(ext);
  });

  it('keeps the native packages external and optional where they download at install', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, unknown>>;
    expect(pkg.dependencies['onnxruntime-node']).toBeDefined();
    expect(pkg.optionalDependencies['@tensorflow/tfjs-node']).toBeDefined();
    expect(pkg.optionalDependencies['@tensorflow/tfjs-node-gpu']).toBeDefined();
    expect(pkg.allowScripts.electron).toBe(false);
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
  });
});
