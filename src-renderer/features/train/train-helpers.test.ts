// Tests of the Train section's pure parts: form to config, backend reports with their fixes, the metric buffer.
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../../../src-core/training/config';
import { fixFor, readBackend } from './backend-report';
import { MetricBuffer } from './metric-buffer';
import { buildConfig, checkConfig, DEFAULT_FORM, formFromConfig, parseHidden } from './train-form';

describe('train form', () => {
  it('parses hidden widths', () => {
    expect(parseHidden('64, 64')).toEqual([64, 64]);
    expect(parseHidden('64 128')).toEqual([64, 128]);
    expect(parseHidden('64, 0')).toBeNull();
    expect(parseHidden('')).toBeNull();
  });

  it('the default form builds a valid config that round-trips through the form', () => {
    const input = buildConfig({ ...DEFAULT_FORM, coupling: 'sinkhorn', couplingValue: 0.1 }, { id: 'circles', count: 500, seed: 3, params: { factor: 0.4 } }, { name: 'vp-cosine', s: 0.008 });
    const c = parseTrainingConfig(input);
    expect(c.data).toMatchObject({ source: 'builtin', id: 'circles', params: { count: 500, seed: 3, factor: 0.4 } });
    expect(c.coupling).toEqual({ sinkhorn: 0.1 });
    expect(c.objective.schedule).toMatchObject({ name: 'vp-cosine' });
    expect(formFromConfig(c)).toEqual({ ...DEFAULT_FORM, coupling: 'sinkhorn', couplingValue: 0.1 });
  });

  it('maps config problems to form fields', () => {
    const r = checkConfig(buildConfig({ ...DEFAULT_FORM, residual: true, hidden: '64, 32', lr: -1 }, { id: 'two-moons', count: 10, seed: 0 }, { name: 'linear' }));
    expect(r.errors?.hidden).toMatch(/equal hidden widths/);
    expect(r.errors?.lr).toMatch(/optimiser\.lr/);
  });
});

describe('backend report', () => {
  it('reads an auto choice with the skipped backends and a fix for each', () => {
    const reason =
      'fastest backend that runs here: tensorflow on CPU (tfjs-node); skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1: libcudart.so.11.0 is missing (CUDA 12 alone does not satisfy it); install CUDA 11.2 and cuDNN 8.1 next to it, or train on another backend; onnxruntime: the compiled training step is not available';
    const r = readBackend({ name: 'tensorflow', reason: `CPU (tfjs-node): ${reason}` });
    expect(r?.how).toBe('auto');
    expect(r?.device).toBe('CPU (tfjs-node)');
    expect(r?.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'onnxruntime']);
    expect(r?.skipped[0].reason).toMatch(/CUDA 12 alone does not satisfy it\); install CUDA 11\.2/);
    expect(r?.skipped[0].fix).toMatch(/Install CUDA 11\.2 and cuDNN 8\.1/);
  });

  it('reads a forced choice, and has fixes for a missing package', () => {
    expect(readBackend({ name: 'cpu', reason: 'asked for by the run (CPU, 2 threads)' })).toEqual({ name: 'cpu', device: 'CPU, 2 threads', how: 'forced', skipped: [] });
    expect(readBackend(null)).toBeNull();
    expect(fixFor('tensorflow-gpu', '@tensorflow/tfjs-node-gpu is not installed (an optional dependency whose install downloads libtensorflow; here it was skipped or failed)')).toMatch(/^npm install @tensorflow\/tfjs-node-gpu /);
    expect(fixFor('tensorflow', '@tensorflow/tfjs-node is installed but libtensorflow is missing')).toMatch(/npm rebuild @tensorflow\/tfjs-node\./);
  });
});

describe('metric buffer', () => {
  it('grows past its capacity, ignores old steps and gives interleaved pairs', () => {
    const b = new MetricBuffer(2);
    for (let s = 1; s <= 5; s++) b.push(s, s / 10, s / 20, 1e-3);
    expect(b.push(3, 1, 1, 1)).toBe(false);
    expect(b.length).toBe(5);
    expect(Array.from(b.view('step'))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(b.pairs('loss').subarray(0, 4))).toEqual([1, 0.1, 2, 0.2]);
    b.replace({ step: new Float64Array([7, 8]), loss: new Float64Array([1, 2]), smoothedLoss: new Float64Array([1, 2]), lr: new Float64Array([0, 0]) });
    expect(b.lastStep).toBe(8);
  });
});
