// The installer configuration passes electron-builder's own schema, keeps native modules out of the asar, flips Electron's fuses and associates the studio's files.
import { describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { OPENABLE_FILES } from '../../src-core/api/methods/files';
import { ORT_FILES } from '../../src-main/export/web-export';
import { have, SHARED_MIME_INFO } from '../prerequisites';

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

/** An entry of electron-builder's fileAssociations, the fields these tests read. */
interface FileAssociation {
  ext: string | string[];
  name?: string;
  description?: string;
  role?: string;
  rank?: string;
  mimeType?: string;
}

/** The files the studio asks the installers to associate with it. */
const ASSOCIATED = OPENABLE_FILES.filter((f) => f.associate);
/**
 * Extensions a spreadsheet owns. NSIS makes the studio the default program of every extension it associates, so these stay
 * off Windows (and off the Linux mime database, where only the .desktop names the system's type for them).
 */
const SPREADSHEET_EXTS = ['csv'];

/** The file associations electron-builder applies on a platform (the top-level list and the platform's own), by its own getter. */
function associationsOn(platform: 'mac' | 'win' | 'linux'): FileAssociation[] {
  const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: object; normalizePlatformSpecificBuildOptions(o: unknown): object } };
  const getter = Object.getOwnPropertyDescriptor(PlatformPackager.prototype, 'fileAssociations')?.get;
  if (!getter) throw new Error("app-builder-lib's PlatformPackager has no fileAssociations getter");
  return getter.call({ config, platformSpecificBuildOptions: PlatformPackager.normalizePlatformSpecificBuildOptions(config[platform]) }) as FileAssociation[];
}

const extsOf = (list: FileAssociation[]): string[] => list.flatMap((a) => [a.ext].flat()).sort();
const associatedExts = (except: string[] = []): string[] => ASSOCIATED.map((f) => f.ext as string).filter((ext) => !except.includes(ext)).sort();

/** A stand-in for electron-builder's Linux packager over its own copy of the config, with what LinuxTargetHelper reads; temp files go under dir. */
function linuxPackager(dir: string) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; description: string };
  const own = structuredClone(config);
  let made = 0;
  return {
    config: own,
    platformSpecificBuildOptions: own.linux as object,
    appInfo: { productName: config.productName, sanitizedProductName: config.productName, productFilename: config.productName, description: pkg.description },
    executableName: pkg.name,
    fileAssociations: associationsOn('linux'),
    getTempFile: (suffix: string) => Promise.resolve(join(dir, `temp-${made++}${suffix}`)),
  };
}

/**
 * The desktop entries of the AppImage and the deb and the deb's shared-mime-info XML as electron-builder writes them: each
 * target's options are the linux ones and then its own, and the targets share one packager.
 */
async function linuxFiles(dir: string): Promise<{ desktops: Record<'appImage' | 'deb', string>; mimeXml: string | null }> {
  const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper') as {
    LinuxTargetHelper: new (packager: unknown) => {
      computeDesktopEntry(options: object, exec?: string, extra?: object): Promise<string>;
      computeMimeTypeFiles(): Promise<string | null>;
    };
  };
  const packager = linuxPackager(dir);
  const helper = new LinuxTargetHelper(packager);
  const options = (target: string) => ({ ...packager.platformSpecificBuildOptions, ...(packager.config[target] as object | undefined) });
  const appImage = await helper.computeDesktopEntry(options('appImage'), 'AppRun --no-sandbox %U', { 'X-AppImage-Version': '0.0.0' });
  const deb = await helper.computeDesktopEntry(options('deb'));
  const xmlPath = await helper.computeMimeTypeFiles();
  return { desktops: { appImage, deb }, mimeXml: xmlPath === null ? null : await readFile(xmlPath, 'utf8') };
}

/**
 * The types a desktop entry's MimeType line lists, each once: electron-builder appends the association types to the
 * shared linux.mimeTypes list itself, so the second target's line repeats them (harmless to the desktop).
 */
function desktopMimeTypes(desktop: string): string[] {
  const line = desktop.split('\n').find((l) => l.startsWith('MimeType='));
  return line ? [...new Set(line.slice('MimeType='.length).split(';').filter(Boolean))] : [];
}

/** Builds a mime database under root from the freedesktop.org list and the given extra package files; returns its folder. */
async function mimeDatabase(root: string, extra: Record<string, string>): Promise<string> {
  const mime = join(root, 'mime');
  await mkdir(join(mime, 'packages'), { recursive: true });
  await copyFile('/usr/share/mime/packages/freedesktop.org.xml', join(mime, 'packages', 'freedesktop.org.xml'));
  for (const [name, xml] of Object.entries(extra)) await writeFile(join(mime, 'packages', name), xml);
  execFileSync('/usr/bin/update-mime-database', [mime], { stdio: 'ignore', timeout: 60_000 });
  return mime;
}

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own validator", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
    // The same validator refuses a key it does not know, at the top and among the fuses, so the check above has teeth.
    await expect(validate({ ...config, notAnOption: true })).rejects.toThrow(/Invalid configuration/);
    await expect(validate({ ...config, electronFuses: { ...(config.electronFuses as object), runAsnode: false } })).rejects.toThrow(/Invalid configuration/);
    // ...and inside a file association, top-level or a platform's.
    const [first, ...rest] = config.fileAssociations as FileAssociation[];
    await expect(validate({ ...config, fileAssociations: [{ ...first, rnak: 'Alternate' }, ...rest] })).rejects.toThrow(/Invalid configuration/);
    await expect(validate({ ...config, mac: { ...(config.mac as object), fileAssociations: [{ ext: 'csv', mimetype: 'text/csv' }] } })).rejects.toThrow(
      /Invalid configuration/,
    );
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

/** Every file under a folder (absolute paths) with its stat, walked as electron-builder's node_modules copier walks it: a folder the filter refuses is not entered. */
function walkKept(dir: string, keep: (file: string, stat: Stats) => boolean, out: { file: string; bytes: number }[] = []): { file: string; bytes: number }[] {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const stat = statSync(file);
    if (!keep(file, stat)) continue;
    if (stat.isDirectory()) walkKept(file, keep, out);
    else out.push({ file, bytes: stat.size });
  }
  return out;
}

describe("electron-builder.yml and ONNX Runtime Web's files", () => {
  it('packs exactly the files a web page export copies from its dist folder, a small part of the package, and still lets them be found', () => {
    const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
      getNodeModuleFileMatcher(appDir: string, dest: string, expand: (s: string) => string, platformOptions: object, packager: object): { createFilter(): (file: string, stat: Stats) => boolean };
    };
    const root = resolve('.');
    // the matcher electron-builder builds for node_modules from the configuration's exclusions
    const keep = getNodeModuleFileMatcher(root, '/app', (s) => s, {}, { config, debugLogger: { isEnabled: false } }).createFilter();
    const pkg = join(root, 'node_modules/onnxruntime-web');
    const kept = walkKept(pkg, keep);
    const dist = kept.filter((f) => f.file.startsWith(join(pkg, 'dist') + '/')).map((f) => f.file.slice(join(pkg, 'dist').length + 1));
    expect(dist.sort()).toEqual([...ORT_FILES].sort());
    expect(kept.map((f) => f.file)).toContain(join(pkg, 'package.json'));
    const all = walkKept(pkg, () => true);
    const mb = (files: { bytes: number }[]) => files.reduce((n, f) => n + f.bytes, 0) / 2 ** 20;
    // about 14 MB kept of about 143 MB
    expect(mb(kept)).toBeLessThan(25);
    expect(mb(all) - mb(kept)).toBeGreaterThan(100);
    // what the export resolves through the package's exports map is among the kept files
    expect(kept.map((f) => f.file)).toContain(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
    // the exclusions reach no other package
    const ortNode = walkKept(join(root, 'node_modules/onnxruntime-node'), keep);
    expect(ortNode.length).toBe(walkKept(join(root, 'node_modules/onnxruntime-node'), (file) => !file.endsWith('.map')).length);
  });
});

describe('electron-builder.yml file associations', () => {
  it('associates exactly the files the studio marks associate, under their labels, as a viewer that never takes the default', () => {
    const onMac = associationsOn('mac');
    expect(extsOf(onMac)).toEqual(associatedExts());
    for (const a of [...onMac, ...associationsOn('win'), ...associationsOn('linux')]) {
      expect(a.name, String(a.ext)).toBe(OPENABLE_FILES.find((f) => f.ext === a.ext)?.label);
      expect(a.role, String(a.ext)).toBe('Viewer');
      expect(a.rank, String(a.ext)).toBe('Alternate');
    }
    // Windows and the Linux mime database get all but the spreadsheet's, each with the type name they show.
    for (const platform of ['win', 'linux'] as const) {
      expect(extsOf(associationsOn(platform)), platform).toEqual(associatedExts(SPREADSHEET_EXTS));
      for (const a of associationsOn(platform)) expect(a.description, String(a.ext)).toMatch(/\S/);
    }
  });

  it("registers them in electron-builder's Windows installer script and unregisters them in the uninstaller's, leaving .csv alone", async () => {
    const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: object } };
    const { NsisTarget } = require('app-builder-lib/out/targets/nsis/NsisTarget') as {
      NsisTarget: { prototype: { computeFinalScript(original: string, isInstaller: boolean, archs: Map<unknown, unknown>): Promise<string> } };
    };
    const packager = {
      config,
      platformSpecificBuildOptions: config.win,
      info: { cancellationToken: { cancelled: false, createPromise: <T>(run: (resolve: (v: T) => void, reject: (e: unknown) => void) => void) => new Promise<T>(run) } },
      appInfo: { productName: config.productName },
      // no per-extension icon among the build resources: the studio's own icon stands for its files
      getResource: () => Promise.resolve(null),
      // nor a license file
      resourceList: Promise.resolve([]),
    };
    Object.defineProperty(packager, 'fileAssociations', Object.getOwnPropertyDescriptor(PlatformPackager.prototype, 'fileAssociations') as PropertyDescriptor);
    const target = Object.assign(Object.create(NsisTarget.prototype) as typeof NsisTarget.prototype, { packager, options: config.nsis, name: 'nsis' });
    const installer = await target.computeFinalScript('', true, new Map());
    const uninstaller = await target.computeFinalScript('', false, new Map());

    const registered = [...installer.matchAll(/APP_ASSOCIATE "([^"]+)" "([^"]+)" "([^"]*)" \S+ "([^"]+)"/g)];
    expect(registered.map((m) => m[1]).sort()).toEqual(associatedExts(SPREADSHEET_EXTS));
    for (const [, ext, progId, description, verb] of registered) {
      const association = associationsOn('win').find((a) => a.ext === ext);
      expect(progId).toBe(association?.name);
      expect(description).toBe(association?.description);
      expect(verb).toBe(`Open with ${String(config.productName)}`);
    }
    const unregistered = [...uninstaller.matchAll(/APP_UNASSOCIATE "([^"]+)" "([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(unregistered.sort()).toEqual(registered.map((m) => [m[1], m[2]]).sort());
    for (const ext of SPREADSHEET_EXTS) expect(installer + uninstaller).not.toContain(`"${ext}"`);
  });

  it("writes a glob per new type into the deb's mime XML and lists every type, the system's text/csv too, in its desktop entry", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'studio-linux-'));
    try {
      const { desktops, mimeXml } = await linuxFiles(dir);
      const typed = associationsOn('linux').filter((a) => a.mimeType);
      expect(typed.map((a) => a.ext).sort()).toEqual(associatedExts(SPREADSHEET_EXTS));
      for (const a of typed) {
        expect(mimeXml).toMatch(new RegExp(`<mime-type type="${a.mimeType}">\\s*<glob pattern="\\*\\.${String(a.ext)}"/>`));
      }
      // the XML defines only the studio's own types, never one the system already has
      expect([...(mimeXml ?? '').matchAll(/<mime-type type="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(typed.map((a) => a.mimeType).sort());
      for (const [target, desktop] of Object.entries(desktops)) {
        expect(desktopMimeTypes(desktop).sort(), target).toEqual([...typed.map((a) => a.mimeType), ...(config.linux as { mimeTypes: string[] }).mimeTypes].sort());
        expect(desktopMimeTypes(desktop), target).toContain('text/csv');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(have(SHARED_MIME_INFO))(
    "installs a mime database that maps each associated file to a type the desktop entry lists and leaves the system's types as they were",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'studio-mime-'));
      try {
        const { desktops, mimeXml } = await linuxFiles(dir);
        expect(mimeXml).not.toBeNull();
        // The deb installs the XML as /usr/share/mime/packages/<executable>.xml; its postinst runs update-mime-database.
        const base = await mimeDatabase(join(dir, 'base'), {});
        const withStudio = await mimeDatabase(join(dir, 'with'), { 'diffusion-studio.xml': mimeXml ?? '' });

        const types = async (mime: string) => (await readFile(join(mime, 'types'), 'utf8')).split('\n').filter(Boolean);
        const baseTypes = await types(base);
        const added = (await types(withStudio)).filter((t) => !baseTypes.includes(t)).sort();
        expect(added).toEqual(associationsOn('linux').map((a) => a.mimeType).sort());
        // Every type the system defined reads back byte for byte: no comment, glob or icon of another program's type changed.
        for (const type of baseTypes) {
          const file = `${type.toLowerCase()}.xml`;
          expect(await readFile(join(withStudio, file), 'utf8'), type).toBe(await readFile(join(base, file), 'utf8'));
        }

        // What a file manager resolves each associated file to (the heaviest glob in globs2) is the type the studio declared
        // for it, or the system's own, and the studio's desktop entry lists it.
        const globs = (await readFile(join(withStudio, 'globs2'), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
        for (const ext of associatedExts()) {
          const matches = globs.filter(([, , pattern]) => pattern === `*.${ext}`).sort((a, b) => Number(b[0]) - Number(a[0]));
          expect(matches.length, ext).toBeGreaterThan(0);
          const resolved = matches[0][1];
          const declared = associationsOn('linux').find((a) => a.ext === ext)?.mimeType;
          if (declared) expect(resolved, ext).toBe(declared);
          expect(desktopMimeTypes(desktops.deb), ext).toContain(resolved);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
