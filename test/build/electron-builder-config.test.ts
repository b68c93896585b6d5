// The installer configuration passes electron-builder's own schema, keeps native modules out of the asar and flips Electron's fuses.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';

const require = createRequire(import.meta.url);
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

async function validate(candidate: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(structuredClone(candidate), new DebugLogger(false));
}

/** The fuses the packaged studio must have, by @electron/fuses' names: true is enabled, false disabled. */
const FUSES = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
} as const;

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own validator", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
    // The same validator refuses a key it does not know, at the top and among the fuses, so the check above has teeth.
    await expect(validate({ ...config, notAnOption: true })).rejects.toThrow(/Invalid configuration/);
    await expect(validate({ ...config, electronFuses: { ...(config.electronFuses as object), runAsnode: false } })).rejects.toThrow(/Invalid configuration/);
  });

  it('sets each fuse the packaged studio needs', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Integrity validation and asar-only loading protect nothing without an asar.
    expect(config.asar).toBe(true);
  });

  it("writes those fuses into a binary's fuse wire through electron-builder's own mapping and @electron/fuses", async () => {
    const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): object } } };
    const fuses = createRequire(require.resolve('app-builder-lib'))('@electron/fuses') as {
      flipFuses(path: string, config: object): Promise<unknown>;
      getCurrentFuseWire(path: string): Promise<Record<number, number>>;
      FuseV1Options: Record<string, number>;
    };
    const { SENTINEL, FuseState } = createRequire(require.resolve('app-builder-lib'))('@electron/fuses/dist/constants') as {
      SENTINEL: string;
      FuseState: { ENABLE: number; DISABLE: number };
    };
    // A stand-in for the Electron binary: the fuse sentinel amid other bytes, then wire version 1 with eight fuses, all enabled ('1').
    const dir = await mkdtemp(join(tmpdir(), 'studio-fuses-'));
    const binary = join(dir, 'electron');
    await writeFile(binary, Buffer.concat([Buffer.from('\x7fELF padding '), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111'), Buffer.from(' tail')]));
    try {
      await fuses.flipFuses(binary, PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses));
      const wire = await fuses.getCurrentFuseWire(binary);
      for (const [name, enabled] of Object.entries(FUSES)) {
        expect(wire[fuses.FuseV1Options[name]], name).toBe(enabled ? FuseState.ENABLE : FuseState.DISABLE);
      }
      // The one fuse left alone keeps what Electron shipped.
      expect(wire[fuses.FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe('1'.charCodeAt(0));
      expect((await readFile(binary)).subarray(-5).toString()).toBe(' tail');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
