// The data drawn faintly under the Sample section's clouds, when asked for: the sampled run's training set, or exact draws of the ideal model.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef, watch } from 'vue';
import type { StudioApi } from '../../../src-core/api/studio-api';
import type { ModelChoice } from './model-choices';
import { loadModelData, type ModelData } from './model-data';
import { useSampleStore } from './sample.store';
import { messageOf } from '../../../src-core/errors';


/** What identifies a model's data: a run's (and its exports') training set stays as it trains; the ideal model's is its mixture. */
function dataKey(choice: ModelChoice): unknown {
  return choice.kind === 'oracle' ? choice.mixture : `run:${choice.runId}`;
}

export const useSampleDataStore = defineStore('sample-data', () => {
  const sample = useSampleStore();
  let api: StudioApi | null = null;
  let generation = 0;

  const data = shallowRef<ModelData | null>(null);
  /** dataKey of the model data was loaded for. */
  let loadedKey: unknown = null;
  const loadedVersion = ref(0);
  const loading = ref(false);
  const error = ref<string | null>(null);

  /** The model whose data belongs under the panels: the one sampled, else the one picked. */
  const target = computed(() => sample.comparison?.choice ?? sample.selected);
  /** The data to draw now: loaded for the model on screen while the toggle is on, else null. */
  const shown = computed(() => {
    void loadedVersion.value;
    const choice = target.value;
    return sample.settings.showData && choice && loadedKey === dataKey(choice) ? data.value : null;
  });

  /** Sets the API the data is read through and loads what the toggle asks for. */
  function init(next: StudioApi): void {
    api = next;
    void refresh();
  }

  /** Loads the data of the model on screen if the toggle is on and it is not loaded yet; a newer request wins. */
  async function refresh(): Promise<void> {
    const choice = target.value;
    if (!api || !choice || !sample.settings.showData || loadedKey === dataKey(choice)) return;
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const next = await loadModelData(api, choice);
      if (mine !== generation) return;
      data.value = next ? markRaw(next) : null;
      loadedKey = dataKey(choice);
      loadedVersion.value++;
    } catch (err) {
      if (mine === generation) error.value = `The data cannot be drawn: ${messageOf(err)}`;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  watch([() => sample.settings.showData, target], () => void refresh());

  return { shown, loading: readonly(loading), error: readonly(error), init, refresh };
});
