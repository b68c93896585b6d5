// Part (c): the measured matmul ceiling, GFLOP/s of 10,000 x 256 @ 256 x 256 products in ONNX Runtime (and in PyTorch through torch_sample.py).
import { floatTensor } from '../../src-core/graph';
import { GraphBuilder } from '../../src-core/graph/builder';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { createSession } from '../../src-main/ort/ort-session';
import { rateOver, torchJson, type TorchSetting } from './common';

/** Rows of the product: the sampling bench's point count. */
export const CEILING_ROWS = 10_000;
/** Products chained in one graph, so copying the 10 MB result out once is spread over them. */
const CHAIN = 8;
const FLOPS = CHAIN * 2 * CEILING_ROWS * 256 * 256;

/** GFLOP/s of the product in onnxruntime-node (8 chained in one run, output preallocated) over a window of `seconds`. */
export async function onnxMatmulGflops(threads: number, seconds: number): Promise<number> {
  const rng = new Rng(7);
  const b = new GraphBuilder('matmul-ceiling');
  const a = b.input('a', 'float32', ['N', 256]);
  // weights of norm about 1 per column keep the chained values finite
  const w = b.constant('w', floatTensor(rng.fillNormal(new Float32Array(256 * 256)).map((v) => v / 16), [256, 256]));
  let x = a;
  for (let k = 0; k < CHAIN - 1; k++) x = b.node('MatMul', [x, w]);
  b.output(b.node('MatMul', [x, w], { name: 'c' }));
  const session = await createSession(writeOnnx(b.build().graph, new Float32Array(0)), { threads });
  try {
    const feeds = { a: { type: 'float32' as const, data: rng.fillNormal(new Float32Array(CEILING_ROWS * 256)), dims: [CEILING_ROWS, 256] } };
    const outputs = { c: { type: 'float32' as const, data: new Float32Array(CEILING_ROWS * 256), dims: [CEILING_ROWS, 256] } };
    const { rate } = await rateOver(() => session.runInto(feeds, outputs), seconds, 5);
    return (rate * FLOPS) / 1e9;
  } finally {
    await session.release();
  }
}

/** GFLOP/s of the same product in PyTorch (torch.mm, a fresh process in the thread setting). */
export function torchMatmulGflops(setting: TorchSetting, seconds: number): number {
  const rows = torchJson('torch_sample.py', ['--jobs', '', '--matmul-seconds', String(seconds)], setting);
  const r = rows.find((x) => x.job === 'matmul');
  if (!r || typeof r.gflops !== 'number') throw new Error('torch_sample.py printed no matmul figure');
  return r.gflops;
}
