// The NLL series of the Sample section's metric panel: held-out points' negative log-likelihood through the
// probability-flow ODE at each solver step count, measured on demand with progress and cancel.
import { defineStore } from 'pinia';
import { readonly, ref, watch } from 'vue';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { loadReference, nllPlan, runNllSweep, type NllPoint } from './metric-sweep';
import { itemSize } from './model-choices';
import { METRIC_COUNT, useSampleStore } from './sample.store';
import { messageOf } from '../../../src-core/errors';


export const useSampleNllStore = defineStore('sample-nll', () => {
  const sample = useSampleStore();
  let api: StudioApi | null = null;
  let generation = 0;
  let counter = 0;
  let runId: string | null = null;

  const points = ref<NllPoint[]>([]);
  const running = ref(false);
  const error = ref<string | null>(null);
  /** Solver steps finished so far (the finished points' and the current computation's), out of totalSteps. */
  const stepsDone = ref(0);
  const totalSteps = ref(0);
  const totalPoints = ref(0);

  // points measured on another model do not belong on this one's chart
  watch(
    () => sample.selectedKey,
    () => {
      void cancel();
      points.value = [];
      error.value = null;
    },
  );

  /** Sets the API the measurements go through. */
  function init(next: StudioApi): void {
    api = next;
  }

  /** Measures the NLL of held-out points for the selected model at each step count of NLL_STEPS. */
  async function measure(): Promise<void> {
    const choice = sample.selected;
    if (!api || !choice || running.value) return;
    // the seed and the guidance shown are what it measures with: not while one of them is refused
    const refused = sample.refusalOf('Not measured');
    if (refused) {
      error.value = refused;
      return;
    }
    const call = api;
    const mine = ++generation;
    const s = sample.settings;
    const dim = itemSize(choice);
    const chosen = nllPlan(dim);
    points.value = [];
    stepsDone.value = 0;
    totalSteps.value = chosen.steps.reduce((a, b) => a + b, 0);
    totalPoints.value = chosen.steps.length;
    running.value = true;
    error.value = null;
    let finished = 0;
    const off = call.on('sampling.progress', (p) => {
      if (mine === generation && p.id === runId) stepsDone.value = finished + p.step;
    });
    try {
      const reference = await loadReference(call, choice, METRIC_COUNT, s.schedule, s.seed);
      await runNllSweep(call, {
        model: sample.modelRequest(choice),
        x: Float32Array.from(reference.subarray(0, Math.min(reference.length, chosen.count * dim))),
        plan: chosen,
        seed: s.seed,
        nextId: () => (runId = `studio-nll-${++counter}`),
        onPoint: (p) => {
          if (mine !== generation) return;
          finished += p.steps;
          stepsDone.value = finished;
          points.value = [...points.value, p];
        },
        cancelled: () => mine !== generation,
      });
    } catch (err) {
      if (mine === generation) error.value = messageOf(err);
    } finally {
      off();
      if (mine === generation) running.value = false;
    }
  }

  /** Stops the sweep; the points measured so far stay on the chart. */
  async function cancel(): Promise<void> {
    if (!running.value) return;
    generation++;
    running.value = false;
    if (api && runId) await api.call('sampling.cancel', { id: runId }).catch(() => null);
  }

  return {
    points: readonly(points),
    running: readonly(running),
    error: readonly(error),
    stepsDone: readonly(stepsDone),
    totalSteps: readonly(totalSteps),
    totalPoints: readonly(totalPoints),
    init,
    measure,
    cancel,
  };
});
