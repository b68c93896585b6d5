// The Lab's flows train with the studio's own trainer on the backend a run's 'auto' would choose: pushed through the
// trained ODE, noise lands on the data, and the host that lends the backend is the Lab process's own.
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src-core/data';
import { fitFlow, flowStraightness, pushFlow } from '../../src-core/lab/flow-fit';
import { energyDistance } from '../../src-core/metrics';
import { Rng } from '../../src-core/rng';
import { createLabHost } from '../../src-main/lab/lab-host';

describe('fitFlow', () => {
  it('trains a flow from noise to eight Gaussians whose ODE samples sit far nearer the data than the noise does', async () => {
    const data = generateDataset('eight-gaussians', { count: 2048, seed: 1 }).data;
    const host = createLabHost(null);
    const flow = await fitFlow({
      config: { data: { source: 'builtin', id: 'eight-gaussians' }, steps: 1500, batchSize: 256, seed: 3 },
      data: { data, rowSize: 2 },
      backend: host.trainingBackend,
    });
    try {
      const rng = new Rng(5);
      const x1 = Float32Array.from({ length: 1000 }, () => rng.normal());
      const x0 = await pushFlow(flow.model, x1, 2, 50, 'heun');
      const ref = Float64Array.from(generateDataset('eight-gaussians', { count: 500, seed: 9 }).data);
      const after = energyDistance({ data: Float64Array.from(x0), shape: [500, 2] }, { data: ref, shape: [500, 2] });
      const before = energyDistance({ data: Float64Array.from(x1), shape: [500, 2] }, { data: ref, shape: [500, 2] });
      console.log(`fitFlow: ${flow.steps} steps in ${flow.seconds.toFixed(1)} s on ${flow.backend}, energy ${before.toFixed(3)} -> ${after.toFixed(3)}, straightness ${(await flowStraightness(flow.model, x1, 2, 20)).toFixed(3)}`);
      expect(after).toBeLessThan(before / 5);
    } finally {
      flow.dispose();
    }
  }, 120_000);
});
