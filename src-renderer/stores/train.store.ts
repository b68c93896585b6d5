// The Train section's state: the form, the run list, the run on screen with its loss history, progress and preview.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef, type DeepReadonly } from 'vue';
import type { DatasetRequest, EventPayload } from '../../src-core/api/contract';
import type { BackendsReport, RunSummary } from '../../src-core/api/methods/training';
import type { StudioApi } from '../../src-core/api/studio-api';
import type { ScheduleSpec } from '../../src-core/schedules';
import type { TrainingConfig } from '../../src-core/training/config';
import { forcedProblem } from '../features/train/backend-report';
import { MetricBuffer, type MetricReader } from '../features/train/metric-buffer';
import { buildConfig, checkConfig, DEFAULT_FORM, formFromConfig, type TrainForm } from '../features/train/train-form';

/** Points asked of training.metrics when a run is opened. */
export const HISTORY_POINTS = 4000;

/** Statuses a run can be resumed from. */
const RESUMABLE = new Set(['paused', 'failed', 'cancelled']);
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const useTrainStore = defineStore('train', () => {
  let api: StudioApi | null = null;
  let unsubscribers: (() => void)[] = [];
  let opening = 0;
  let probing = 0;

  const form = ref<TrainForm>({ ...DEFAULT_FORM });
  const formErrors = ref<Record<string, string>>({});
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
  const previewVersion = ref(0);
  const busy = ref<'start' | 'pause' | 'resume' | 'cancel' | 'open' | null>(null);
  const actionError = ref<string | null>(null);
  /** What can train and sample here, as the host probed it (null until it answers). */
  const backends = shallowRef<BackendsReport | null>(null);
  const backendsError = ref<string | null>(null);
  const backendsLoading = ref(false);

  const current = computed(() => runs.value.find((r) => r.id === currentId.value) ?? null);
  const status = computed(() => current.value?.status ?? null);
  const canPause = computed(() => status.value === 'running' && current.value?.active === true);
  const canResume = computed(() => !!current.value && (RESUMABLE.has(current.value.status) || (current.value.status === 'running' && !current.value.active)));
  const canCancel = computed(() => !!current.value && !FINISHED.has(current.value.status));
  const isTraining = computed(() => status.value === 'running' || status.value === 'created');
  /** The form's forced backend when the probe found it unable to run here (shown before a start fails on it). */
  const forcedBackend = computed(() => forcedProblem(backends.value, form.value.backend));

  /** Connects to the API: loads the run list and follows progress, status and preview events. */
  async function init(next: StudioApi): Promise<void> {
    dispose();
    api = next;
    unsubscribers = [next.on('training.progress', onProgress), next.on('training.status', onStatus), next.on('training.preview', onPreview)];
    // the probe takes a moment the first time; the run list does not wait for it
    void loadBackends();
    await refreshList();
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
    if (p.run.id === currentId.value && FINISHED.has(p.run.status)) void loadHistory(p.run.id);
  }

  function onPreview(p: EventPayload<'training.preview'>): void {
    if (p.runId !== currentId.value) return;
    preview.value = markRaw(p.points);
    previewStep.value = p.step;
    previewVersion.value++;
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

  /** Changes one form field (checked when training starts). */
  function setField<K extends keyof TrainForm>(key: K, value: TrainForm[K]): void {
    form.value = { ...form.value, [key]: value };
    if (formErrors.value[key as string]) {
      const { [key as string]: _gone, ...rest } = formErrors.value;
      formErrors.value = rest;
    }
  }

  /** Checks the config from the form, the data set and the schedule; starts a run and shows it. */
  async function start(data: DeepReadonly<DatasetRequest> | null, schedule: ScheduleSpec | null, name?: string): Promise<boolean> {
    if (!api || busy.value) return false;
    if (!data) return fail({ data: 'Choose a data set in the Data section first.' });
    if (!schedule) return fail({ schedule: 'The schedule in the Schedule section is invalid: fix it there first.' });
    const checked = checkConfig(buildConfig(form.value, data, schedule));
    if (checked.errors) return fail(checked.errors);
    formErrors.value = {};
    busy.value = 'start';
    actionError.value = null;
    try {
      const { runId } = await api.call('training.start', { config: checked.config, ...(name ? { name } : {}) });
      showRun(runId, checked.config);
      await refreshList();
      return true;
    } catch (err) {
      actionError.value = messageOf(err);
      return false;
    } finally {
      busy.value = null;
    }
  }

  function fail(errors: Record<string, string>): false {
    formErrors.value = errors;
    return false;
  }

  /** Clears what is shown and shows another run. */
  function showRun(id: string, config: TrainingConfig | null): void {
    currentId.value = id;
    currentConfig.value = config;
    metrics.clear();
    metricsVersion.value++;
    progress.value = null;
    preview.value = null;
    previewStep.value = null;
    previewVersion.value++;
  }

  /** Opens a run from the list: its config (into the form) and its loss history. */
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
      // The form takes the run's settings, so Start trains the same model again (with any changes made).
      if (!isTraining.value) {
        form.value = formFromConfig(reply.config);
        formErrors.value = {};
      }
      upsert(reply.run);
      await loadHistory(id);
    } catch (err) {
      if (mine === opening) actionError.value = messageOf(err);
    } finally {
      if (mine === opening) busy.value = null;
    }
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

  return {
    form: readonly(form),
    formErrors: readonly(formErrors),
    runs: readonly(runs),
    listError: readonly(listError),
    currentId: readonly(currentId),
    current,
    currentConfig: computed(() => currentConfig.value),
    status,
    canPause,
    canResume,
    canCancel,
    isTraining,
    metrics: metrics as MetricReader,
    metricsVersion: readonly(metricsVersion),
    progress: readonly(progress),
    preview: computed(() => preview.value),
    previewStep: readonly(previewStep),
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
    start,
    open,
    pause: () => steer('pause'),
    resume: () => steer('resume'),
    cancel: () => steer('cancel'),
  };
});
