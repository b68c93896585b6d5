// Reopens the studio where it was left: section, schedule, Train form, data set and drawn mixture, Sample settings and model, kept in localStorage.
import { defineStore } from 'pinia';
import { readonly, ref, watch } from 'vue';
import type { SampleSettings } from '../features/sample/sample.store';
import { useDatasetsStore } from '../features/data/datasets.store';
import { useSampleStore } from '../features/sample/sample.store';
import { useScheduleStore } from '../features/schedule/schedule.store';
import { useTrainStore } from '../features/train/train.store';
import { parseSnapshot, serializeSnapshot, SESSION_KEY, type DatasetChoice, type SessionSnapshot } from './session-snapshot';

/** Writes wait this long so a drag or typing burst is stored once. */
export const SAVE_DELAY_MS = 250;

const storage = (): Storage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};

export const useSessionStore = defineStore('session', () => {
  const schedule = useScheduleStore();
  const train = useTrainStore();
  const sample = useSampleStore();
  const datasets = useDatasetsStore();

  const started = ref(false);
  /** What was restored on start (for display and tests). */
  const restored = ref<SessionSnapshot>({});
  /** Parts that wait for data from the studio (the data set list, the sampler list); saved as they are meanwhile. */
  let pendingDataset: DatasetChoice | null = null;
  let pendingSamplers: Partial<Pick<SampleSettings, 'odeSampler' | 'sdeSampler'>> = {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastHash = '';
  const stops: (() => void)[] = [];

  /** The snapshot of the state now; parts still waiting to be restored keep their stored values. */
  function snapshot(): SessionSnapshot {
    noteHash();
    const hash = lastHash;
    const dataset = datasets.selectedId && datasets.params && !pendingDataset ? { id: datasets.selectedId, params: JSON.parse(JSON.stringify(datasets.params)) } : pendingDataset;
    const model = sample.remembered;
    return {
      ...(hash ? { hash } : {}),
      schedule: JSON.parse(JSON.stringify(schedule.spec)),
      train: { ...train.form },
      sample: { ...sample.settings, ...pendingSamplers },
      ...(model ? { sampleModel: { key: model.key, resample: model.resample } } : {}),
      ...(dataset ? { dataset } : {}),
      mixture: datasets.mixture.map((c) => ({ mean: [c.mean[0], c.mean[1]], weight: c.weight, std: c.std })),
    };
  }

  /** Writes the snapshot now (also on page hide, so a reload right after an edit keeps it). */
  function save(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!started.value) return;
    try {
      storage()?.setItem(SESSION_KEY, serializeSnapshot(snapshot()));
    } catch {
      // full or blocked storage: the session just is not remembered
    }
  }

  /** Remembers the hash now: a page whose hash was cleared still shows the section it showed last. */
  function noteHash(): void {
    if (globalThis.location?.hash) lastHash = globalThis.location.hash;
  }

  /** Saves after SAVE_DELAY_MS of quiet (the section is noted at once: the shell calls this right after switching). */
  function saveSoon(): void {
    if (!started.value) return;
    noteHash();
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  }

  /** Applies the stored sampler names once the studio has said which samplers exist. */
  function applySamplers(): void {
    const known = new Set(sample.samplers.map((s) => s.name));
    if (known.size === 0) return;
    const patch = Object.fromEntries(Object.entries(pendingSamplers).filter(([, name]) => known.has(name)));
    pendingSamplers = {};
    if (Object.keys(patch).length) sample.configure(patch);
  }

  /** Selects the stored data set once the studio has listed the sets (and made its own first choice). */
  async function applyDataset(): Promise<void> {
    const choice = pendingDataset;
    if (!choice || !datasets.selectedId) return;
    pendingDataset = null;
    if (!datasets.list.some((d) => d.id === choice.id)) return;
    if (datasets.selectedId !== choice.id) await datasets.select(choice.id);
    const names = new Set(datasets.fields.map((f) => f.name));
    const { count, noise, seed, values } = choice.params;
    for (const [name, value] of [['count', count], ['noise', noise], ['seed', seed], ...Object.entries(values)] as [string, number | null][]) {
      if (names.has(name)) datasets.setParam(name, value);
    }
  }

  /**
   * Restores the stored session into the stores and starts saving changes. Call once, before the shell reads the
   * location hash: with no hash of its own the page is sent to the saved section.
   */
  function start(): SessionSnapshot {
    if (started.value) return restored.value;
    let text: string | null = null;
    try {
      text = storage()?.getItem(SESSION_KEY) ?? null;
    } catch {
      text = null;
    }
    const s = parseSnapshot(text);
    restored.value = s;
    if (s.hash && globalThis.location && !globalThis.location.hash) globalThis.history?.replaceState(globalThis.history.state, '', s.hash);
    lastHash = globalThis.location?.hash || (s.hash ?? '');
    if (s.schedule && !schedule.restore(s.schedule)) delete restored.value.schedule;
    if (s.train) for (const [key, value] of Object.entries(s.train)) train.setField(key as never, value as never);
    if (s.sample) {
      const { odeSampler, sdeSampler, ...rest } = s.sample;
      sample.configure(rest);
      pendingSamplers = { ...(odeSampler ? { odeSampler } : {}), ...(sdeSampler ? { sdeSampler } : {}) };
      applySamplers();
    }
    // before the model: the ideal model of the mixture set is the mixture drawn
    if (s.mixture && !datasets.restoreMixture(s.mixture)) delete restored.value.mixture;
    if (s.sampleModel) sample.preferModel(s.sampleModel.key, s.sampleModel.resample);
    pendingDataset = s.dataset ?? null;
    started.value = true;

    stops.push(
      watch(() => sample.samplers.length, applySamplers),
      watch(() => datasets.selectedId, () => void applyDataset(), { immediate: true }),
      watch(() => [schedule.spec, train.form, sample.settings, sample.remembered, datasets.selectedId, datasets.params, datasets.mixture], saveSoon, { deep: true }),
    );
    globalThis.addEventListener?.('hashchange', saveSoon);
    globalThis.addEventListener?.('pagehide', save);
    return s;
  }

  /** Stops saving (tests, or a page being torn down). */
  function stop(): void {
    save();
    for (const off of stops.splice(0)) off();
    globalThis.removeEventListener?.('hashchange', saveSoon);
    globalThis.removeEventListener?.('pagehide', save);
    started.value = false;
  }

  /** Forgets the stored session (the next start begins from the defaults). */
  function forget(): void {
    try {
      storage()?.removeItem(SESSION_KEY);
    } catch {
      // nothing stored that could be read either
    }
  }

  return { started: readonly(started), restored: readonly(restored), start, stop, save, saveSoon, forget };
});
