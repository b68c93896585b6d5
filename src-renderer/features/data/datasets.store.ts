// The Data section's state: built-in sets, the selection and its parameters, the mixture editor, the generated points, saved sets.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef } from 'vue';
import type { DatasetInfo, DatasetRequest, Result, SavedDataset } from '../../../src-core/api/contract';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { checkValue, defaultValues, fieldsOf, toRequest, withValue, type ParamValues } from './dataset-fields';
import { componentProblem, INITIAL_MIXTURE, MAX_COMPONENTS, MIXTURE_SET, mixtureSpec, nextComponent, type MixtureComponent } from './mixture-components';
import { messageOf } from '../../../src-core/errors';

/** Per-dimension summary statistics of the generated points. */
export type DatasetStats = Result<'datasets.generate'>['stats'];

/** How long parameter edits wait before the set is generated again. */
export const GENERATE_DEBOUNCE_MS = 250;

/** The set shown first when nothing is selected yet. */
const PREFERRED_FIRST = 'two-moons';


export const useDatasetsStore = defineStore('datasets', () => {
  let api: StudioApi | null = null;
  let unsubscribe: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;

  const list = ref<DatasetInfo[]>([]);
  const listLoading = ref(false);
  const listError = ref<string | null>(null);
  const selectedId = ref<string | null>(null);
  const params = ref<ParamValues | null>(null);
  const fieldErrors = ref<Record<string, string>>({});
  /** Row-major [n, 2] points of the latest generation; replaced whole, never mutated. */
  const points = shallowRef<Float32Array | null>(null);
  const version = ref(0);
  const pointsFor = ref<DatasetRequest | null>(null);
  const stats = ref<DatasetStats | null>(null);
  const generating = ref(false);
  const generateError = ref<string | null>(null);
  const saved = ref<SavedDataset[]>([]);
  const savedError = ref<string | null>(null);
  const saving = ref(false);
  const saveError = ref<string | null>(null);
  const lastSaved = ref<SavedDataset | null>(null);
  /** The mixture editor's components, sent with every request for MIXTURE_SET. */
  const mixture = ref<MixtureComponent[]>([...INITIAL_MIXTURE]);
  const mixtureError = ref<string | null>(null);

  const selected = computed(() => list.value.find((d) => d.id === selectedId.value) ?? null);
  const fields = computed(() => (selected.value ? fieldsOf(selected.value) : []));
  const pointCount = computed(() => (points.value ? points.value.length / 2 : 0));
  const editsMixture = computed(() => selectedId.value === MIXTURE_SET);
  /** The mixture drawn in the editor as weights, means and covariances: what MIXTURE_SET's points follow and its ideal model is. */
  const drawnMixture = computed(() => mixtureSpec(mixture.value));

  /** Connects the store to the API: loads the built-in and saved sets and follows 'datasets.changed'. */
  async function init(next: StudioApi): Promise<void> {
    dispose();
    api = next;
    unsubscribe = next.on('datasets.changed', (payload) => {
      saved.value = payload.saved;
      savedError.value = null;
    });
    await Promise.all([loadList(), loadSaved()]);
    if (!selectedId.value && list.value.length > 0) {
      await select(list.value.find((d) => d.id === PREFERRED_FIRST)?.id ?? list.value[0].id);
    }
  }

  /** Stops listening and cancels a pending generation. */
  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** Loads the built-in data sets. */
  async function loadList(): Promise<void> {
    if (!api) return;
    listLoading.value = true;
    try {
      list.value = await api.call('datasets.list', {});
      listError.value = null;
    } catch (err) {
      listError.value = messageOf(err);
    } finally {
      listLoading.value = false;
    }
  }

  /** Loads the sets saved in the workspace. */
  async function loadSaved(): Promise<void> {
    if (!api) return;
    try {
      saved.value = await api.call('datasets.saved', {});
      savedError.value = null;
    } catch (err) {
      savedError.value = messageOf(err);
    }
  }

  /** Selects a built-in set, resets its own parameters to their defaults, and generates it. */
  async function select(id: string): Promise<void> {
    const info = list.value.find((d) => d.id === id);
    if (!info) return;
    selectedId.value = id;
    params.value = defaultValues(info, params.value ?? undefined);
    fieldErrors.value = {};
    lastSaved.value = null;
    saveError.value = null;
    await generate();
  }

  /** Changes one parameter; a valid change regenerates after a short pause, an invalid one is reported. */
  function setParam(name: string, value: number | null): void {
    const spec = fields.value.find((f) => f.name === name);
    if (!spec || !params.value) return;
    const problem = checkValue(spec, value);
    const errors = { ...fieldErrors.value };
    if (problem) errors[name] = problem;
    else delete errors[name];
    fieldErrors.value = errors;
    if (problem) return;
    params.value = withValue(params.value, name, value);
    scheduleGenerate();
  }

  /** Generates after GENERATE_DEBOUNCE_MS unless another change comes first. */
  function scheduleGenerate(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void generate();
    }, GENERATE_DEBOUNCE_MS);
  }

  /** Generates the selected set now; a reply to an older request is ignored. */
  async function generate(): Promise<void> {
    if (!api || !selectedId.value || !params.value || Object.keys(fieldErrors.value).length > 0) return;
    const base = toRequest(selectedId.value, params.value);
    const request: DatasetRequest = selectedId.value === MIXTURE_SET ? { ...base, mixture: drawnMixture.value } : base;
    const mine = ++generation;
    generating.value = true;
    try {
      const reply = await api.call('datasets.generate', request);
      if (mine !== generation) return;
      points.value = markRaw(reply.data);
      stats.value = reply.stats;
      pointsFor.value = request;
      generateError.value = null;
      version.value++;
    } catch (err) {
      if (mine === generation) generateError.value = messageOf(err);
    } finally {
      if (mine === generation) generating.value = false;
    }
  }

  /** Changes one mixture component; a usable change regenerates after the debounce, an unusable one is reported. */
  function setComponent(index: number, patch: Partial<MixtureComponent>): void {
    const current = mixture.value[index];
    if (!current) return;
    const next = { ...current, ...patch };
    const problem = componentProblem(next);
    mixtureError.value = problem ? `component ${index + 1}: ${problem}` : null;
    if (problem) return;
    mixture.value = mixture.value.map((c, i) => (i === index ? next : c));
    scheduleGenerate();
  }

  /** Adds a component (up to MAX_COMPONENTS) and regenerates. */
  function addComponent(): void {
    if (mixture.value.length >= MAX_COMPONENTS) return;
    mixture.value = [...mixture.value, nextComponent(mixture.value)];
    scheduleGenerate();
  }

  /** Removes a component (one always stays) and regenerates. */
  function removeComponent(index: number): void {
    if (mixture.value.length <= 1 || !mixture.value[index]) return;
    mixture.value = mixture.value.filter((_, i) => i !== index);
    mixtureError.value = null;
    scheduleGenerate();
  }

  /** Puts the starting components back and regenerates. */
  function resetMixture(): void {
    mixture.value = [...INITIAL_MIXTURE];
    mixtureError.value = null;
    scheduleGenerate();
  }

  /** Puts back components kept from an earlier visit (each is checked; an unusable list leaves the editor as it is). */
  function restoreMixture(components: readonly MixtureComponent[]): boolean {
    if (components.length < 1 || components.length > MAX_COMPONENTS || components.some((c) => componentProblem(c) !== null)) return false;
    mixture.value = components.map((c) => ({ mean: [c.mean[0], c.mean[1]], weight: c.weight, std: c.std }));
    mixtureError.value = null;
    if (selectedId.value === MIXTURE_SET) scheduleGenerate();
    return true;
  }

  /** Adds a set saved elsewhere (an import) to the list before the 'datasets.changed' event arrives. */
  function noteSaved(meta: SavedDataset): void {
    if (!saved.value.some((s) => s.id === meta.id)) saved.value = [...saved.value, meta];
  }

  /** Drops a deleted set from the list before the 'datasets.changed' event arrives. */
  function noteDeleted(id: string): void {
    saved.value = saved.value.filter((s) => s.id !== id);
  }

  /** Saves the current set under a name in the workspace. */
  async function save(name: string): Promise<void> {
    if (!api || !pointsFor.value) return;
    saving.value = true;
    try {
      const meta = await api.call('datasets.save', { name: name.trim(), source: pointsFor.value });
      lastSaved.value = meta;
      saveError.value = null;
      if (!saved.value.some((s) => s.id === meta.id)) saved.value = [...saved.value, meta];
    } catch (err) {
      saveError.value = messageOf(err);
    } finally {
      saving.value = false;
    }
  }

  return {
    list: readonly(list),
    listLoading: readonly(listLoading),
    listError: readonly(listError),
    selectedId: readonly(selectedId),
    selected,
    fields,
    params: readonly(params),
    fieldErrors: readonly(fieldErrors),
    points: computed(() => points.value),
    pointCount,
    version: readonly(version),
    pointsFor: readonly(pointsFor),
    stats: readonly(stats),
    generating: readonly(generating),
    generateError: readonly(generateError),
    saved: readonly(saved),
    savedError: readonly(savedError),
    saving: readonly(saving),
    saveError: readonly(saveError),
    lastSaved: readonly(lastSaved),
    mixture: readonly(mixture),
    mixtureError: readonly(mixtureError),
    drawnMixture,
    editsMixture,
    init,
    dispose,
    loadList,
    loadSaved,
    select,
    setParam,
    generate,
    save,
    setComponent,
    addComponent,
    removeComponent,
    resetMixture,
    restoreMixture,
    noteSaved,
    noteDeleted,
  };
});
