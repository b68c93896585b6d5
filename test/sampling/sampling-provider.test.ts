// Which ONNX Runtime provider sampling sessions open on: CUDA where it starts, else the CPU with why, in the probe's report and in the runner.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMlp, evaluateGraph, floatTensor, initParams } from '../../src-core/graph';
import { studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { pickSamplingProvider } from '../../src-main/ort/execution-provider';
import { cudaProviderInstalled } from '../../src-main/ort/ort-session';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { probeSamplingRuntime } from '../../src-main/training/probe/sampling-runtime';
import { tempDir } from './fixtures';

// this machine has neither a GPU nor the CUDA provider library
const cudaHere = cudaProviderInstalled();

const mlp = buildMlp({ dataDim: 2, hidden: [16], timeEmbedding: { kind: 'raw' } });
const params = initParams(mlp.layout, new Rng(5));
const path = join(tempDir(), 'm.onnx');
writeFileSync(path, writeOnnx(mlp.graph, params, {
  metadata: studioMetadata({ parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null }),
}));

describe.runIf(!cudaHere)('sampling without the CUDA provider', () => {
  const fellBack: { path: string; reason: string }[] = [];
  const runner = createInProcessRunner({ threads: 1, provider: 'cuda', onCpuFallback: (p, reason) => fellBack.push({ path: p, reason }) });
  afterAll(() => runner.close());

  it('picks the CPU and says why CUDA was passed over', async () => {
    const picked = await pickSamplingProvider(1);
    expect(picked.provider).toBe('cpu');
    expect(picked.device).toBe('CPU, 1 thread');
    expect(picked.passedOver).toEqual([{ provider: 'cuda', reason: "ONNX Runtime's CUDA provider is not installed" }]);
  });

  it("the probe's sampling report names the CPU device and a note with the reason and the setup step", async () => {
    const r = await probeSamplingRuntime();
    expect(r.available).toBe(true);
    if (!r.available) return;
    expect(r.device).toMatch(/^CPU, \d+ threads?$/);
    expect(r.notes).toEqual([expect.stringMatching(/^Sampling runs on the CPU: ONNX Runtime's CUDA provider is not installed\. Run npm run setup:cuda/)]);
  });

  it('a runner told to use CUDA falls back to the CPU and predicts what the graph computes', async () => {
    const handle = await runner.open(path);
    const x = Float32Array.of(0.5, -1, 2, 0.25);
    const got = await runner.predict(handle, { x, shape: [2, 2], t: 0.3, labels: null });
    const want = evaluateGraph(mlp.graph, params, { x: floatTensor(x, [2, 2]), t: floatTensor(Float32Array.of(0.3, 0.3), [2]) });
    const expected = Object.values(want)[0].data as Float32Array;
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
    // ONNX Runtime's own words for the provider it could not load reach the caller
    expect(fellBack).toEqual([{ path, reason: expect.stringMatching(/^ONNX Runtime refused the model: .*Cuda: Failed to load shared library/) }]);
  });
});
