// The services the Lab's process lends its computations: tfjs (the fastest backend that starts), a workspace's runs at their latest checkpoint, MNIST digits.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../src-core/errors';
import type { LabHost, LabRun, LabRunData, LabTensorBackend } from '../../src-core/lab/host';
import { loadMnist } from '../datasets/mnist';
import { readDatasetMeta } from '../datasets/dataset-folder';
import { runDataInfo } from '../export/run-data';
import { loadRun, readLatestCheckpoint, runDir } from '../runs';
import { cpuProvider } from '../training/backends/cpu-backend';
import { tensorflowProvider } from '../training/backends/tensorflow-backend';
import { wasmProvider } from '../training/backends/wasm-backend';
import { resolveBackend } from '../training/backends/resolve-backend';

/** The tfjs backends the Lab tries, fastest first, with the tfjs engine name each activates. */
const TENSOR_BACKENDS = [
  { provider: tensorflowProvider, engine: 'tensorflow' },
  { provider: wasmProvider, engine: 'wasm' },
  { provider: cpuProvider, engine: 'cpu' },
] as const;

let chosen: Promise<LabTensorBackend> | null = null;

/** Activates the first tfjs backend that starts (once per process); the error lists every reason when none does. */
function activateTensors(): Promise<LabTensorBackend> {
  chosen ??= (async () => {
    const reasons: string[] = [];
    for (const { provider, engine } of TENSOR_BACKENDS) {
      const probe = await provider.probe();
      if (!probe.ok) {
        reasons.push(`${provider.name}: ${probe.reason}`);
        continue;
      }
      if (tf.getBackend() !== engine) await tf.setBackend(engine);
      return { name: provider.name as LabTensorBackend['name'], device: probe.device };
    }
    throw new StudioError('internal', `no tfjs backend starts in the Lab's process: ${reasons.join('; ')}`);
  })();
  chosen.catch(() => (chosen = null));
  return chosen;
}

/** Where a run's data came from, for drawing fresh items of it. */
async function dataOf(workspace: string, config: LabRun['config']): Promise<LabRunData> {
  const ref = config.data;
  if (ref.source === 'builtin') return { kind: 'builtin', ref };
  const meta = await readDatasetMeta(workspace, ref.id);
  const source = meta?.source;
  if (meta && source && source.id === 'mnist' && !('count' in source)) {
    return { kind: 'mnist', setId: ref.id, digits: source.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], count: meta.shape[0] };
  }
  return { kind: 'saved', setId: ref.id };
}

/** The Lab's services over a workspace (null: none, so runs are not available). */
export function createLabHost(workspace: string | null): LabHost {
  return {
    tensors: activateTensors,
    trainingBackend: async (spec) => (await resolveBackend('auto', spec)).backend,
    async openRun(runId) {
      if (workspace === null) throw new StudioError('not-found', "this Lab has no workspace, so it cannot open run '" + runId + "'");
      const dir = runDir(workspace, runId);
      const run = await loadRun(dir);
      const latest = await readLatestCheckpoint(dir);
      if (!latest) throw new StudioError('not-found', `run '${run.record.name}' has no checkpoint yet: train it first`);
      const { itemShape, normalisation } = await runDataInfo(run.config.data, dir);
      return {
        id: run.id,
        name: run.record.name,
        step: latest.checkpoint.step,
        config: run.config,
        itemShape,
        normalisation,
        weights: latest.checkpoint.ema,
        data: await dataOf(workspace, run.config),
      };
    },
    async mnist(digits, count) {
      const a = await loadMnist({ digits, count });
      return { data: a.data, shape: a.shape };
    },
  };
}
