// The U-Net family: shapes, parameters, rows kept apart in a batch, labels and attention change the output, options checked.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../errors';
import { Rng } from '../../../rng';
import { evaluateGraph } from '../../evaluate';
import { inferGraph } from '../../infer';
import type { ParamEntry } from '../../param-layout';
import type { ValueType } from '../../types';
import { initParams } from '../../param-layout';
import { floatTensor, int64Tensor } from '../../tensor';
import { buildUnet, type UnetOptions } from './graph';

const TINY: UnetOptions = { imageShape: [1, 8, 8], channels: [8, 16], groups: 4, timeEmbedding: { kind: 'sinusoidal', dim: 8 } };

function run(o: UnetOptions, n: number, seed: number, labels?: number[]) {
  const model = buildUnet(o);
  const rng = new Rng(seed);
  const params = initParams(model.layout, rng);
  const [c, h, w] = o.imageShape;
  const x = rng.fillNormal(new Float32Array(n * c * h * w));
  const t = rng.fillUniform(new Float32Array(n));
  const feeds = { x: floatTensor(x, [n, c, h, w]), t: floatTensor(t, [n]), ...(labels ? { y: int64Tensor(labels, [n]) } : {}) };
  return { model, params, x, t, out: evaluateGraph(model.graph, params, feeds).prediction.data as Float32Array };
}

/** The tiny U-Net with the named inner values as its outputs. */
function tapped(taps: readonly string[]) {
  const model = buildUnet(TINY);
  const types = inferGraph(model.graph);
  return { model, graph: { ...model.graph, outputs: taps.map((name) => ({ name, ...(types.get(name) as ValueType) })) } };
}

describe('buildUnet', () => {
  it('maps x [N, C, H, W], t [N] to a prediction of the image shape', () => {
    const model = buildUnet({ ...TINY, imageShape: [3, 8, 4] });
    expect(model.graph.inputs.map((i) => [i.name, i.shape])).toEqual([['x', ['N', 3, 8, 4]], ['t', ['N']]]);
    expect(model.graph.outputs[0]).toMatchObject({ name: 'prediction', shape: ['N', 3, 8, 4] });
    expect(model.nullClass).toBeUndefined();
    const ops = new Set(model.graph.nodes.map((n) => n.op));
    for (const op of ['Conv', 'Concat', 'Expand', 'InstanceNormalization', 'Gemm']) expect(ops.has(op), op).toBe(true);
    expect(ops.has('Softmax')).toBe(false);
  });
  it('lays out the expected parameters', () => {
    const { layout } = buildUnet(TINY);
    const shape = (name: string) => layout.entries.find((e) => e.name === name)?.shape;
    expect(shape('in.weight')).toEqual([8, 1, 3, 3]);
    expect(shape('down0.downsample.weight')).toEqual([8, 8, 3, 3]);
    expect(shape('down1.res0.skip.weight')).toEqual([16, 8, 1, 1]);
    expect(shape('up0.res0.conv1.weight')).toEqual([8, 24, 3, 3]);
    expect(shape('up0.res0.time.weight')).toEqual([32, 8]);
    expect(shape('out.norm.scale')).toEqual([8, 1, 1]);
    expect(shape('out.weight')).toEqual([1, 8, 3, 3]);
  });
  it('normalises each group of channels over its pixels, then scales and shifts by channel (group norm)', () => {
    const taps = ['in.conv', 'down0.res0.norm1.out'];
    const { model, graph } = tapped(taps);
    const rng = new Rng(4);
    const params = initParams(model.layout, rng);
    const view = (name: string) => {
      const e = model.layout.entries.find((x) => x.name === name) as ParamEntry;
      return params.subarray(e.offset, e.offset + 8);
    };
    // learnt-looking scale and shift, and an input whose groups sit far from zero, so centring and the affine both show
    const [scale, shift] = [view('down0.res0.norm1.scale'), view('down0.res0.norm1.shift')];
    for (let c = 0; c < 8; c++) [scale[c], shift[c]] = [0.5 * rng.normal(), rng.normal()];
    view('in.bias').set([3, 3, -2, -2, 0, 0, 10, 10]);
    const n = 2;
    const x = floatTensor(rng.fillNormal(new Float32Array(n * 64)), [n, 1, 8, 8]);
    const out = evaluateGraph(graph, params, { x, t: floatTensor([0.2, 0.7], [n]) });
    const [h, y] = taps.map((name) => out[name].data as Float32Array);
    // float64 group norm: 4 groups of 2 channels x 64 pixels
    let worst = 0;
    for (let b = 0; b < n; b++) {
      for (let g = 0; g < 4; g++) {
        const at = (b * 8 + 2 * g) * 64;
        const vals = Array.from(h.subarray(at, at + 128));
        const mean = vals.reduce((s, v) => s + v, 0) / 128;
        const variance = vals.reduce((s, v) => s + (v - mean) ** 2, 0) / 128;
        vals.forEach((v, i) => {
          const c = 2 * g + Math.floor(i / 64);
          const want = ((v - mean) / Math.sqrt(variance + 1e-5)) * (1 + scale[c]) + shift[c];
          worst = Math.max(worst, Math.abs(y[at + i] - want));
        });
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });
  it('upsamples by repeating each pixel in a 2x2 block, exactly', () => {
    const taps = ['up1.res1.out', 'up1.upsample.nearest'];
    const { model, graph } = tapped(taps);
    const rng = new Rng(5);
    const out = evaluateGraph(graph, initParams(model.layout, rng), { x: floatTensor(rng.fillNormal(new Float32Array(128)), [2, 1, 8, 8]), t: floatTensor([0.1, 0.9], [2]) });
    const [low, up] = taps.map((name) => out[name].data as Float32Array);
    expect(out['up1.upsample.nearest'].shape).toEqual([2, 16, 8, 8]);
    let mismatches = 0;
    for (let p = 0; p < 2 * 16; p++) {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) if (up[(p * 8 + y) * 8 + x] !== low[(p * 4 + (y >> 1)) * 4 + (x >> 1)]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
  it('keeps batch rows apart: a row predicts the same alone and in a batch', () => {
    const batch = run(TINY, 3, 1);
    const model = buildUnet(TINY);
    const alone = evaluateGraph(model.graph, batch.params, { x: floatTensor(batch.x.slice(64, 128), [1, 1, 8, 8]), t: floatTensor(batch.t.slice(1, 2), [1]) }).prediction.data as Float32Array;
    for (let i = 0; i < 64; i++) expect(alone[i]).toBeCloseTo(batch.out[64 + i], 5);
    expect(batch.out.every(Number.isFinite)).toBe(true);
  });
  it('takes labels (with a null label) and attention', () => {
    const o: UnetOptions = { ...TINY, classes: 3, attentionLevels: [1] };
    const a = run(o, 2, 2, [0, 3]);
    expect(a.model.graph.inputs.map((i) => i.name)).toEqual(['x', 't', 'y']);
    expect(a.model.nullClass).toBe(3);
    expect(a.model.graph.nodes.filter((n) => n.op === 'Softmax')).toHaveLength(4); // down1, middle, up1 twice
    const b = run(o, 2, 2, [1, 3]);
    expect(Math.max(...a.out.slice(0, 64).map((v, i) => Math.abs(v - b.out[i])))).toBeGreaterThan(1e-4);
    expect(Array.from(a.out.slice(64))).toEqual(Array.from(b.out.slice(64)));
  });
  it('refuses options it cannot build', () => {
    expect(() => buildUnet({ ...TINY, channels: [8, 10] })).toThrow(/groups/);
    expect(() => buildUnet({ ...TINY, imageShape: [1, 28, 28], channels: [8, 8, 8, 8] })).toThrow(StudioError);
    expect(() => buildUnet({ ...TINY, attentionLevels: [2] })).toThrow(/level 2/);
    expect(() => buildUnet({ ...TINY, channels: [] })).toThrow(/level/);
  });
});
