// The web page export: the page's generator draws the studio's noise for a seed, and the folder holds what the page loads, written whole or not at all.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src-core/onnx/reader';
import { Rng } from '../../src-core/rng';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { exportWebPage } from '../../src-main/export/web-export';
import pageRngText from '../../src-main/export/web-page/page-rng.ts?bundle';
import { makeRun, tempDir } from './fixtures';

/** The page's generator as the page is given it (studio-rng.js, the studio's Rng bundled into one plain ES module), loaded as a browser loads it: alone. */
const pageRng = (await import(`data:text/javascript,${encodeURIComponent(pageRngText)}`)) as { seededNormals(seed: number, n: number): Float32Array };

const CONFIG: TrainingConfigInput = { data: { source: 'builtin', id: 'two-moons', params: { count: 300 }, normalise: 'standardise' }, model: { family: 'mlp', hidden: [16] }, steps: 10 };

describe('web page export', () => {
  it("draws, for a seed, the very noise the studio's generator draws (odd counts and seeds past 32 bits included)", () => {
    for (const seed of [0, 1, 17, 4294967295, 4294967296 + 5, 2 ** 40 + 3]) {
      for (const n of [1, 7, 2000]) {
        const want = new Rng(seed).fillNormal(new Float32Array(n));
        expect(Array.from(pageRng.seededNormals(seed, n)), `seed ${seed}, n ${n}`).toEqual(Array.from(want));
      }
    }
    expect(() => pageRng.seededNormals(-1, 3)).toThrow(/seed must be an integer >= 0, got -1/);
    // nothing left to fetch: the browser loads it beside page.js with no other file
    expect(pageRngText).not.toMatch(/^\s*import\s/m);
  });

  it('writes the page, its model and only the ONNX Runtime Web files the page loads', async () => {
    const run = await makeRun(CONFIG);
    const out = join(tempDir(), 'share', 'moons');
    const r = await exportWebPage(run.dir, out, { samplerGraph: { sampler: 'euler', steps: 6 } });
    const names = ['index.html', 'model.json', 'model.onnx', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm', 'ort.wasm.min.mjs', 'page.js', 'studio-rng.js'];
    expect(readdirSync(out).sort()).toEqual(names);
    expect(r.files.map((f) => f.path).sort()).toEqual(names);
    expect(r.bytes).toBe(r.files.reduce((s, f) => s + f.bytes, 0));
    expect(r.bytes).toBeLessThan(20e6);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model).toMatchObject({ format: 'diffusion-studio-web-page', runId: run.id, sampler: 'euler', steps: 6, grid: 'uniform', dataShape: [2], classes: null });
    const graph = readOnnx(new Uint8Array(readFileSync(join(out, 'model.onnx'))));
    expect(graph.metadata).toMatchObject({ 'studio.kind': 'sampler-graph', 'studio.sampler': 'euler', 'studio.steps': '6' });
    // the page imports the files the folder holds
    const page = readFileSync(join(out, 'page.js'), 'utf8');
    expect(page).toContain("from './ort.wasm.min.mjs'");
    expect(page).toContain("from './studio-rng.js'");
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('python3 -m http.server');
  });

  it('replaces an earlier page whole, leaves no temp folders, and refuses a folder it did not write', async () => {
    const run = await makeRun(CONFIG);
    const parent = tempDir();
    const out = join(parent, 'page');
    await exportWebPage(run.dir, out, { samplerGraph: { sampler: 'euler', steps: 4 } });
    writeFileSync(join(out, 'stale.txt'), 'left from before');
    await exportWebPage(run.dir, out, { samplerGraph: { sampler: 'heun', steps: 3 } });
    expect(readdirSync(out)).not.toContain('stale.txt');
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'))).toMatchObject({ sampler: 'heun', steps: 3 });
    expect(readdirSync(parent)).toEqual(['page']);

    const other = join(parent, 'photos');
    mkdirSync(other);
    writeFileSync(join(other, 'holiday.jpg'), 'not a page');
    await expect(exportWebPage(run.dir, other)).rejects.toThrow(/not written by a web export/);
    expect(readdirSync(other)).toEqual(['holiday.jpg']);
    await expect(exportWebPage(run.dir, join(other, 'holiday.jpg'))).rejects.toThrow(/is a file or a folder/);
    expect(readdirSync(dirname(other)).sort()).toEqual(['page', 'photos']);
  });
});
