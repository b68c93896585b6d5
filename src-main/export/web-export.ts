// Export of a run as a static web page: one folder with the sampler graph, ONNX Runtime Web's WebAssembly build and a page that samples it from a seed.
import { copyFile, open, readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import type { SamplerGraphOptions } from '../../src-core/onnx/sampler-graph';
import { ensureDir } from '../workspace/atomic-write';
import { swapInFolder } from '../workspace/folder-swap';
import { exportRunBytes, type ExportOptions } from './export-run';
import indexHtml from './web-page/index.html?raw';
import pageJs from './web-page/page.js?raw';
import rngJs from './web-page/page-rng.ts?bundle';

/** The sampler a web page unrolls when the request names none (the studio's default sampler graph). */
const DEFAULT_WEB_SAMPLER: SamplerGraphOptions = { sampler: 'heun', steps: 32, grid: 'uniform' };
/**
 * ONNX Runtime Web's files the page loads: the WebAssembly build's module, its loader and the binary (SIMD, threads
 * where allowed). electron-builder.yml keeps exactly these of its dist folder in the installers.
 */
export const ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] as const;
/** The page's own files, written whole from the templates beside this module. */
const PAGE_FILES: Readonly<Record<string, string>> = { 'index.html': indexHtml, 'page.js': pageJs, 'studio-rng.js': rngJs };
/** What model.json says it is, so a later export knows a folder it may replace. */
const WEB_FORMAT = 'diffusion-studio-web-page';

/** What exportWebPage wrote. */
interface WebExportResult {
  readonly path: string;
  /** All the folder's files together. */
  readonly bytes: number;
  readonly step: number;
  readonly warnings: readonly string[];
  /** Each file of the folder with its size. */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

/** The folder holding ONNX Runtime Web's distribution files. */
function ortDistFolder(): string {
  return dirname(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

/** Whether a path is free for a web page: absent, an empty folder, or a page an earlier export wrote. */
async function replaceable(path: string): Promise<boolean> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  if (!info.isDirectory()) return false;
  try {
    const md = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as { format?: unknown };
    return md.format === WEB_FORMAT;
  } catch {
    return (await readdir(path)).length === 0;
  }
}

async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a run's latest checkpoint as a web page folder at outDir: filled in a hidden sibling, then renamed into place
 * (an earlier page there is swapped out and removed), so the folder is whole or absent. Any other folder or file at
 * outDir is left alone and refused.
 */
export async function exportWebPage(runDir: string, outDir: string, options: ExportOptions & { within?: string } = {}): Promise<WebExportResult> {
  if (!(await replaceable(outDir))) {
    const message = 'is a file or a folder not written by a web export: choose a new folder';
    throw new StudioError('invalid-argument', `${outDir} ${message}`, [{ path: ['path'], message }]);
  }
  const sampler = options.samplerGraph ?? DEFAULT_WEB_SAMPLER;
  const { bytes: graph, step, meta, details, run, warnings } = await exportRunBytes(runDir, { ...options, samplerGraph: sampler });
  const model = {
    format: WEB_FORMAT,
    name: run.name,
    runId: run.id,
    step,
    seed: meta.seed ?? 0,
    sampler: sampler.sampler,
    steps: sampler.steps,
    grid: sampler.grid ?? 'uniform',
    dataShape: [...meta.dataShape],
    classes: meta.classes ? { count: meta.classes.count, names: details.classNames } : null,
    range: details.range,
  };
  await ensureDir(dirname(outDir), undefined, options.within);
  const files: { path: string; bytes: number }[] = [];
  try {
    // an earlier page there moves aside, the new one takes its name, then the old one goes
    await swapInFolder(outDir, async (tmp) => {
      const written: [string, string | Uint8Array][] = [['model.onnx', graph], ['model.json', `${JSON.stringify(model, null, 2)}\n`], ...Object.entries(PAGE_FILES)];
      for (const [name, data] of written) {
        await writeDurable(join(tmp, name), data);
        files.push({ path: name, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length });
      }
      const dist = ortDistFolder();
      for (const name of ORT_FILES) {
        await copyFile(join(dist, name), join(tmp, name));
        files.push({ path: name, bytes: (await stat(join(tmp, name))).size });
      }
    });
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('internal', `cannot write the web page to ${outDir}: ${(err as Error).message}`);
  }
  return { path: outDir, bytes: files.reduce((sum, f) => sum + f.bytes, 0), step, warnings, files };
}
