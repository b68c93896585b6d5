// The Train section's state: the form and the data it trains on, the run list, the run on screen with its loss history, progress and preview.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef, watch } from 'vue';
import type { EventPayload, SavedDataset } from '../../../src-core/api/contract';
import type { BackendsReport, RunSummary } from '../../../src-core/api/methods/training';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { parseTrainingConfig, type TrainingConfig } from '../../../src-core/training/config';
import { forcedProblem } from './backend-report';
import { MetricBuffer, type MetricReader } from './metric-buffer';
import {
  checkForm, choiceFromRef, dataKindOf, DEFAULT_FORM, familyTakes, formFromConfig, suggestedForm, type DataChoice, type TrainForm,
} from './train-form';
import { isImageShape, type DataKind } from '../../../src-core/training/defaults';
import { useDatasetsStore } from '../data/datasets.store';
import { useImportStore } from '../data/import.store';
import { useScheduleStore, type EditableSpec } from '../schedule/schedule.store';
import { isEnded } from '../../../src-core/training/run-status';

/** Points asked of training.metrics when a run is opened. */
const HISTORY_POINTS = 4000;

/** Statuses a run can be resumed from (a cancelled run is over: the host refuses to resume it). */
const RESUMABLE = new Set(['paused', 'failed']);

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const useTrainStore = defineStore('train', () => {
  let api: StudioApi | null = null;
  let unsubscribers: (() => void)[] = [];
  let opening = 0;
  let probing = 0;
  const datasets = useDatasetsStore();
  const imports = useImportStore();
  const schedule = useScheduleStore();

  const form = ref<TrainForm>({ ...DEFAULT_FORM });
  /** The set the next run trains on: the Data section's latest choice, a saved set picked here, or a loaded config's. */
  const data = shallowRef<DataChoice | null>(null);
  /** Set once the user types a run name; until then the form proposes one. */
  const nameTouched = ref(false);
  /** Set once the user picks a normalisation; until then it follows the data (saved tables of any scale are standardised). */
  const normaliseTouched = ref(false);
  /** Costly choices the user has seen and accepted for the form as it is (cleared by any change). */
  const confirmed = ref(false);
  /** Problems of the last start attempt the form cannot show beside a field (a refused start, a config file). */
  const fileError = ref<string | null>(null);
  const runs = ref<RunSummary[]>([]);
  const listError = ref<string | null>(null);
  const currentId = ref<string | null>(null);
  const currentConfig = shallowRef<TrainingConfig | null>(null);
  /** Loss history of the run on screen: replaced or appended in place, watched through metricsVersion. */
  const metrics = markRaw(new MetricBuffer());
  const metricsVersion = ref(0);
  const progress = ref<EventPayload<'training.progress'> | null>(null);
  const preview = shallowRef<Float32Array | null>(null);
  const previewStep = ref<number | null>(null);
  /** The preview's shape: [n, d] points or [n, C, H, W] images. */
  const previewShape = shallowRef<readonly number[] | null>(null);
  const previewVersion = ref(0);
  const busy = ref<'start' | 'pause' | 'resume' | 'cancel' | 'open' | 'rename' | null>(null);
  const actionError = ref<string | null>(null);
  /** What can train and sample here, as the host probed it (null until it answers). */
  const backends = shallowRef<BackendsReport | null>(null);
  const backendsError = ref<string | null>(null);
  const backendsLoading = ref(false);

  const current = computed(() => runs.value.find((r) => r.id === currentId.value) ?? null);
  const status = computed(() => current.value?.status ?? null);
  const canPause = computed(() => status.value === 'running' && current.value?.active === true);
  const canResume = computed(() => !!current.value && (RESUMABLE.has(current.value.status) || (current.value.status === 'running' && !current.value.active)));
  const canCancel = computed(() => !!current.value && !isEnded(current.value.status));
  const isTraining = computed(() => status.value === 'running' || status.value === 'created');
  /** The form's forced backend when the probe found it unable to run here (shown before a start fails on it). */
  const forcedBackend = computed(() => forcedProblem(backends.value, form.value.backend));
  const dataKind = computed<DataKind | null>(() => (data.value ? dataKindOf(data.value) : null));
  /** The form checked as the studio will check it, live: the config, each problem by field, and costly choices. */
  const checked = computed(() => checkForm(form.value, data.value, schedule.validSpec));
  const canStart = computed(() => checked.value.config !== null && busy.value === null && !isTraining.value);

  /** A run name proposed from the data: its short name and the next free number. */
  function proposeName(): void {
    if (nameTouched.value || !data.value) return;
    const base = data.value.kind === 'builtin' ? data.value.label : data.value.set.name;
    const taken = new Set(runs.value.map((r) => r.name));
    let n = 1;
    while (taken.has(`${base} ${n}`)) n++;
    form.value = { ...form.value, name: `${base} ${n}` };
  }

  /** Trains the next run on this set; a set the form does not suit (a family that cannot take its items, with or without classes) brings the suggestions for it. */
  function chooseData(next: DataChoice | null): void {
    data.value = next;
    const kind = dataKind.value;
    const f = form.value;
    if (kind && (!familyTakes(f.family, kind.shape) || f.conditional !== (kind.classes !== null))) {
      form.value = suggestedForm(kind, f);
    }
    // images keep their pixel values (per-pixel statistics blow up the border pixels); a saved table may be of any scale
    if (kind && !normaliseTouched.value) form.value = { ...form.value, normalise: next?.kind === 'saved' && !isImageShape(kind.shape) ? 'standardise' : 'none' };
    confirmed.value = false;
    proposeName();
  }

  /** Picks a saved set by id (the form's data picker), or the Data section's built-in set for ''. */
  function chooseSaved(id: string): void {
    if (id === '') return chooseData(builtinChoice());
    const set = datasets.saved.find((s) => s.id === id);
    if (set) chooseData({ kind: 'saved', set: set as SavedDataset });
  }

  function builtinChoice(): DataChoice | null {
    const r = datasets.pointsFor;
    if (!r) return null;
    return { kind: 'builtin', request: JSON.parse(JSON.stringify(r)), label: datasets.list.find((d) => d.id === r.id)?.label ?? r.id };
  }

  // What the Data section shows last is what trains: a built-in set generated there, or a saved set opened there.
  watch(() => datasets.pointsFor, () => chooseData(builtinChoice()));
  watch(
    () => imports.shown?.savedId ?? null,
    (id) => {
      if (id) chooseSaved(id);
    },
  );
  // A saved set deleted while chosen can no longer train.
  watch(
    () => datasets.saved,
    (saved) => {
      const d = data.value;
      if (d?.kind === 'saved' && !saved.some((s) => s.id === d.set.id)) chooseData(builtinChoice());
    },
  );

  /** Connects to the API: loads the run list and follows progress, status and preview events. */
  async function init(next: StudioApi): Promise<void> {
    dispose();
    api = next;
    unsubscribers = [
      next.on('training.progress', onProgress),
      next.on('training.status', onStatus),
      next.on('training.preview', onPreview),
      next.on('training.deleted', (p) => drop(p.runId)),
    ];
    if (!data.value) chooseData(builtinChoice());
    // the probe takes a moment the first time; the run list does not wait for it
    void loadBackends();
    await refreshList();
    proposeName();
  }

  /** Asks the host which backends can run here (it probes once and keeps the answer). */
  async function loadBackends(): Promise<void> {
    if (!api) return;
    const mine = ++probing;
    backendsLoading.value = true;
    backendsError.value = null;
    try {
      const report = await api.call('training.backends', {});
      if (mine === probing) backends.value = report;
    } catch (err) {
      if (mine === probing) backendsError.value = messageOf(err);
    } finally {
      if (mine === probing) backendsLoading.value = false;
    }
  }

  /** Stops listening. */
  function dispose(): void {
    for (const off of unsubscribers) off();
    unsubscribers = [];
  }

  function onProgress(p: EventPayload<'training.progress'>): void {
    if (p.runId !== currentId.value) return;
    progress.value = p;
    if (p.loss !== null && metrics.push(p.step, p.loss, p.smoothedLoss ?? p.loss, p.lr)) metricsVersion.value++;
  }

  function onStatus(p: EventPayload<'training.status'>): void {
    upsert(p.run);
    if (p.run.id === currentId.value && isEnded(p.run.status)) void loadHistory(p.run.id);
  }

  function onPreview(p: EventPayload<'training.preview'>): void {
    if (p.runId !== currentId.value) return;
    preview.value = markRaw(p.points);
    previewShape.value = p.shape;
    previewStep.value = p.step;
    previewVersion.value++;
  }

  /** Takes a deleted run off the list; the run on screen, if it was that one, is cleared. */
  function drop(id: string): void {
    runs.value = runs.value.filter((r) => r.id !== id);
    if (currentId.value === id) {
      showRun('', null);
      currentId.value = null;
    }
  }

  function upsert(run: RunSummary): void {
    const i = runs.value.findIndex((r) => r.id === run.id);
    runs.value = i < 0 ? [...runs.value, run] : runs.value.map((r, k) => (k === i ? run : r));
  }

  /** Reloads the run list. */
  async function refreshList(): Promise<void> {
    if (!api) return;
    try {
      const reply = await api.call('training.list', {});
      runs.value = reply.runs;
      listError.value = reply.unreadable.length ? `${reply.unreadable.length} run folder(s) could not be read: ${reply.unreadable.map((u) => `${u.dir}: ${u.error}`).join('; ')}` : null;
    } catch (err) {
      listError.value = messageOf(err);
    }
  }

  /** Changes one form field; the form is checked again at once and the message shows beside the field. */
  function setField<K extends keyof TrainForm>(key: K, value: TrainForm[K]): void {
    form.value = { ...form.value, [key]: value };
    if (key === 'name') nameTouched.value = true;
    if (key === 'normalise') normaliseTouched.value = true;
    confirmed.value = false;
  }

  /** Starts a run from the form as shown: refused while a field is invalid; costly choices need a second click. */
  async function start(): Promise<boolean> {
    if (!api || busy.value || isTraining.value) return false;
    const { config, warnings } = checked.value;
    if (!config) return false;
    if (warnings.length > 0 && !confirmed.value) {
      confirmed.value = true; // the warnings are on screen now; the next start goes ahead
      return false;
    }
    busy.value = 'start';
    actionError.value = null;
    fileError.value = null;
    try {
      const { runId } = await api.call('training.start', { config, name: form.value.name.trim() });
      showRun(runId, config);
      confirmed.value = false;
      nameTouched.value = false;
      await refreshList();
      proposeName();
      return true;
    } catch (err) {
      actionError.value = messageOf(err);
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** Drops the costly-choice confirmation (Back). */
  function reconsider(): void {
    confirmed.value = false;
  }

  /** Clears what is shown and shows another run. */
  function showRun(id: string, config: TrainingConfig | null): void {
    currentId.value = id;
    currentConfig.value = config;
    metrics.clear();
    metricsVersion.value++;
    progress.value = null;
    preview.value = null;
    previewShape.value = null;
    previewStep.value = null;
    previewVersion.value++;
  }

  /** Puts a config's settings into the form, its data into the picker and its schedule into the Schedule section. */
  function adoptConfig(config: TrainingConfig, name: string): string | null {
    const choice = choiceFromRef(config.data, datasets.saved as SavedDataset[], (id) => datasets.list.find((d) => d.id === id)?.label ?? id);
    if (!choice) return `it trains on the saved set '${config.data.source === 'workspace' ? config.data.id : ''}', which is not in this workspace`;
    data.value = choice;
    form.value = formFromConfig(config, form.value, name);
    nameTouched.value = name !== '';
    confirmed.value = false;
    schedule.load(JSON.parse(JSON.stringify(config.objective.schedule)) as EditableSpec);
    if (name === '') proposeName();
    return null;
  }

  /** Opens a run from the list: its config (into the form, to train it again) and its loss history. */
  async function open(id: string): Promise<void> {
    if (!api) return;
    const mine = ++opening;
    showRun(id, null);
    busy.value = 'open';
    actionError.value = null;
    try {
      const reply = await api.call('training.get', { runId: id });
      if (mine !== opening) return;
      currentConfig.value = reply.config;
      if (!isTraining.value) adoptConfig(reply.config, '');
      upsert(reply.run);
      await loadHistory(id);
    } catch (err) {
      if (mine === opening) actionError.value = messageOf(err);
    } finally {
      if (mine === opening) busy.value = null;
    }
  }

  /** Gives a run another name. */
  async function rename(id: string, name: string): Promise<boolean> {
    if (!api) return false;
    try {
      const { run } = await api.call('training.rename', { runId: id, name });
      upsert(run);
      listError.value = null;
      return true;
    } catch (err) {
      listError.value = `Could not rename the run: ${messageOf(err)}`;
      return false;
    }
  }

  /** Deletes a run with its checkpoints, metrics and exports (a training one is stopped first). */
  async function remove(id: string): Promise<boolean> {
    if (!api) return false;
    try {
      await api.call('training.delete', { runId: id });
      drop(id);
      listError.value = null;
      return true;
    } catch (err) {
      listError.value = `Could not delete the run: ${messageOf(err)}`;
      return false;
    }
  }

  /** The form's config as the command line's config.json (every default written out), or null while the form is invalid. */
  function configJson(): string | null {
    const config = checked.value.config;
    return config ? `${JSON.stringify(config, null, 2)}\n` : null;
  }

  /** Reads a config.json (from the command line or saved here) into the form; a problem is reported, nothing half-loaded. */
  function loadConfigJson(text: string, fileName: string): boolean {
    let config: TrainingConfig;
    try {
      config = parseTrainingConfig(JSON.parse(text));
    } catch (err) {
      const why = err instanceof SyntaxError ? `it is not JSON (${err.message})` : messageOf(err);
      fileError.value = `Could not load ${fileName}: ${why}`;
      return false;
    }
    const problem = adoptConfig(config, form.value.name);
    fileError.value = problem ? `Could not load ${fileName}: ${problem}` : null;
    return problem === null;
  }

  /** Replaces the chart's history with the run's metrics file (downsampled to HISTORY_POINTS). */
  async function loadHistory(id: string): Promise<void> {
    if (!api) return;
    try {
      const m = await api.call('training.metrics', { runId: id, maxPoints: HISTORY_POINTS });
      if (id !== currentId.value) return;
      metrics.replace({ step: m.step, loss: m.loss, smoothedLoss: m.smoothedLoss, lr: m.lr });
      metricsVersion.value++;
    } catch (err) {
      if (id === currentId.value) actionError.value = `Could not read the run's metrics: ${messageOf(err)}`;
    }
  }

  async function steer(kind: 'pause' | 'resume' | 'cancel'): Promise<void> {
    const id = currentId.value;
    if (!api || !id || busy.value) return;
    busy.value = kind;
    actionError.value = null;
    try {
      await api.call(`training.${kind}`, { runId: id });
    } catch (err) {
      actionError.value = messageOf(err);
    } finally {
      busy.value = null;
    }
  }

  /** Space: pauses a training run on screen, resumes a paused one. */
  function togglePause(): void {
    if (canPause.value) void steer('pause');
    else if (canResume.value) void steer('resume');
  }

  return {
    form: readonly(form),
    data: computed(() => data.value),
    dataKind,
    checked,
    formErrors: computed(() => checked.value.errors),
    warnings: computed(() => checked.value.warnings),
    confirming: computed(() => confirmed.value && checked.value.warnings.length > 0),
    fileError: readonly(fileError),
    runs: readonly(runs),
    listError: readonly(listError),
    currentId: readonly(currentId),
    current,
    currentConfig: computed(() => currentConfig.value),
    status,
    canStart,
    canPause,
    canResume,
    canCancel,
    isTraining,
    metrics: metrics as MetricReader,
    metricsVersion: readonly(metricsVersion),
    progress: readonly(progress),
    preview: computed(() => preview.value),
    previewStep: readonly(previewStep),
    previewShape: computed(() => previewShape.value),
    previewVersion: readonly(previewVersion),
    busy: readonly(busy),
    actionError: readonly(actionError),
    backends: computed(() => backends.value),
    backendsError: readonly(backendsError),
    backendsLoading: readonly(backendsLoading),
    forcedBackend,
    init,
    loadBackends,
    dispose,
    refreshList,
    setField,
    chooseSaved,
    start,
    reconsider,
    open,
    rename,
    remove,
    configJson,
    loadConfigJson,
    togglePause,
    pause: () => steer('pause'),
    resume: () => steer('resume'),
    cancel: () => steer('cancel'),
  };
});
