// The Sample section's state: model, the two samplers from one noise, checked inputs, the step scrubber, and the metric-against-NFE sweep.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef } from 'vue';
import type { Params, Result } from '../../../src-core/api/contract';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { Rng } from '../../../src-core/rng';
import { catalogChoices, classCount, classOptions, defaultGuidance, imageShapeOf, isAvailable, itemShape, itemSize, ModelCatalog, withDrawnMixture, type ModelChoice } from './model-choices';
import { openModelFile } from './open-model-file';
import { loadReference, runSweep, SWEEP_STEPS, type MetricKind, type MetricPoint } from './metric-sweep';
import { costWarning, readField, readNumber, SAMPLE_FIELDS, sampleCost, type SampleFieldName } from './sample-fields';
import { optionField, optionFields, optionKey, requestOptions, samplerGroups, type Panel } from './sampler-choices';
import { heldIndices, takeSteps } from './step-align';
import type { SamplerOptionInfo } from '../../../src-core/api/methods/sampling';
import type { SamplerOptionName, SamplerOptionValues } from '../../../src-core/sampling/types';
import { useDatasetsStore } from '../data/datasets.store';
import { MIXTURE_SET } from '../data/mixture-components';

/** A sampler as sampling.samplers describes it. */
type SamplerInfo = Result<'sampling.samplers'>[number];

/** What the person sets before a run. */
export interface SampleSettings {
  odeSampler: string;
  sdeSampler: string;
  steps: number;
  /** The SDE panel's gamma (MATH.md §5): 0 is the ODE, 1 the reverse SDE. */
  gamma: number;
  /** Option values typed for each sampler (by its name); an option left out takes the default the studio declares. */
  samplerOptions: Readonly<Record<string, SamplerOptionValues>>;
  count: number;
  /** Images per panel for image models (each is recorded at every step). */
  images: number;
  seed: number;
  /** Schedule of the ideal model (a run's model brings its own). */
  schedule: string;
  guidance: number;
  classLabel: number;
  metric: MetricKind;
  /** Draw the model's data (a run's training set, exact draws of the ideal model) faintly under the particles. */
  showData: boolean;
}

/** One panel's finished run: every particle's state at every step. */
export interface PanelRun {
  readonly sampler: string;
  readonly gamma: number;
  /** States [steps + 1, n, dim], row-major. */
  readonly x: Float32Array;
  /** The model's predicted x0 at each state, same layout; kept for image models only. */
  readonly x0: Float32Array | null;
  /** Shape of one sample ([dim], or [C, H, W] for images). */
  readonly itemShape: readonly number[];
  readonly times: Float64Array;
  readonly n: number;
  readonly dim: number;
  readonly nfe: number;
  /** Wall time the studio took for this panel. */
  readonly seconds: number;
}

/** Both panels of one comparison and what they were run with. */
export interface Comparison {
  readonly ode: PanelRun;
  readonly sde: PanelRun;
  readonly choice: ModelChoice;
  readonly schedule: string;
  /** The start noise both panels share (standard normal, before scaling by sigma at t = 1). */
  readonly noise: Float32Array;
  /** The class every particle was conditioned on, for a class-conditional model; else null. */
  readonly classLabel: number | null;
}

/** Samples per metric point and reference points. */
export const METRIC_COUNT = 1000;
/** A field whose typed text is not a value it takes, and the message shown beside it. */
interface FieldProblem {
  /** A numeric setting's name, or a sampler option's key (optionKey). */
  readonly name: string;
  readonly label: string;
  readonly message: string;
}

/** A sampler option field a panel shows. */
interface ShownOption {
  readonly panel: Panel;
  readonly sampler: string;
  readonly option: SamplerOptionInfo;
}

const DEFAULTS: SampleSettings = {
  odeSampler: 'euler', sdeSampler: 'euler-maruyama', steps: 40, gamma: 1, samplerOptions: {}, count: 2000, images: 16, seed: 0, schedule: 'linear', guidance: 1, classLabel: 0, metric: 'sliced-w2', showData: false,
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What a refused action says: which fields to put right first. */
function refusal(what: string, problems: readonly FieldProblem[]): string {
  const names = problems.map((p) => p.label);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `${what}: ${list} ${names.length > 1 ? 'are' : 'is'} not valid (see the message beside ${names.length > 1 ? 'them' : 'it'}).`;
}

/** A panel's recorded steps held on other times (the last state reached by each). */
function onTimes(run: PanelRun, times: Float64Array): PanelRun {
  const at = heldIndices(run.times, times);
  const per = run.n * run.dim;
  return { ...run, times, x: markRaw(takeSteps(run.x, per, at)), x0: run.x0 ? markRaw(takeSteps(run.x0, per, at)) : null };
}

const sameTimes = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((t, i) => t === b[i]);

/** Both panels on the grid's times, so one scrubber serves both: a solver that chose its own steps (dopri5) is shown on the other's. */
function onOneGrid([a, b]: [PanelRun, PanelRun], steps: number): [PanelRun, PanelRun] {
  const grid = a.times.length === steps + 1 ? a.times : b.times;
  return [sameTimes(a.times, grid) ? a : onTimes(a, grid), sameTimes(b.times, grid) ? b : onTimes(b, grid)];
}

export const useSampleStore = defineStore('sample', () => {
  let api: StudioApi | null = null;
  let generation = 0;
  let runIds: string[] = [];
  let counter = 0;
  let metricGeneration = 0;
  let metricRunId: string | null = null;
  let catalog: ModelCatalog | null = null;
  let offStatus: (() => void) | null = null;
  /** Seconds per particle-step measured on each model's last comparison, for the cost warning. */
  const rates = new Map<string, number>();
  /** The cost a person has agreed to (model, count, steps), so a re-run of the same does not ask again. */
  let agreedCost: string | null = null;
  const datasets = useDatasetsStore();

  /** The catalog's list; choices puts the mixture drawn in the Data section into it. */
  const listed = shallowRef<ModelChoice[]>([]);
  const choicesError = ref<string | null>(null);
  const selectedKey = ref<string | null>(null);
  const samplers = ref<SamplerInfo[]>([]);
  const settings = ref<SampleSettings>({ ...DEFAULTS });
  const comparison = shallowRef<Comparison | null>(null);
  const version = ref(0);
  const step = ref(0);
  const running = ref(false);
  const runError = ref<string | null>(null);
  const metricPoints = ref<MetricPoint[]>([]);
  const metricTotal = ref(0);
  const metricRunning = ref(false);
  const metricError = ref<string | null>(null);
  /** Messages of the inputs whose typed text was refused, and that text (the input keeps showing it). */
  const fieldErrors = ref<Partial<Record<SampleFieldName, string>>>({});
  const drafts = ref<Partial<Record<SampleFieldName, string>>>({});
  /** The same for the sampler option fields, by optionKey. */
  const optionErrors = ref<Record<string, string>>({});
  const optionDrafts = ref<Record<string, string>>({});
  const rateVersion = ref(0);
  /** The warning of a costly run waiting for the person's go-ahead. */
  const costPending = ref<string | null>(null);
  /** A model to pick once the list holds it (a reloaded page's), and whether to sample it then. */
  const wanted = ref<{ key: string; resample: boolean } | null>(null);

  /** Model files opened by themselves (dropped on the window), after the catalog's entries. */
  const opened = shallowRef<ModelChoice[]>([]);
  const choices = computed(() => markRaw(withDrawnMixture([...listed.value, ...opened.value], MIXTURE_SET, datasets.drawnMixture)));
  const selected = computed(() => choices.value.find((c) => c.key === selectedKey.value) ?? null);
  const classes = computed(() => classCount(selected.value));
  const classChoices = computed(() => classOptions(selected.value));
  /** [C, H, W] when the selected model's samples are images, else null. */
  const imageShape = computed(() => (selected.value?.kind === 'oracle' || !selected.value?.meta ? null : imageShapeOf(selected.value.meta.dataShape)));
  /** Every sampler the studio lists, in a group of its kind; the left picker offers the ODE groups, the right one the rest. */
  const groups = computed(() => samplerGroups(samplers.value));
  /** The ODE samplers that step on the grid (the left picker's first group). */
  const odeSamplers = computed(() => groups.value.find((g) => g.key === 'ode')?.samplers ?? []);
  /** The SDE samplers, which the gamma slider drives (the right picker's first group). */
  const sdeSamplers = computed(() => groups.value.find((g) => g.key === 'sde')?.samplers ?? []);
  const info = (name: string) => samplers.value.find((x) => x.name === name);
  /** The option fields of both panels' samplers, each with its range and default from the studio's list. */
  const shownOptions = computed<ShownOption[]>(() =>
    (['ode', 'sde'] as const).flatMap((panel) => {
      const sampler = panel === 'ode' ? settings.value.odeSampler : settings.value.sdeSampler;
      return optionFields(info(sampler), panel).map((option) => ({ panel, sampler, option }));
    }),
  );
  const stepCount = computed(() => (comparison.value ? Math.min(comparison.value.ode.times.length, comparison.value.sde.times.length) - 1 : 0));
  const time = computed(() => comparison.value?.ode.times[step.value] ?? null);
  /** The numeric inputs the controls show for the selected model. */
  const shownFields = computed<SampleFieldName[]>(() => ['steps', imageShape.value ? 'images' : 'count', 'seed', ...(classes.value > 0 ? (['guidance'] as const) : [])]);
  /** The shown inputs whose text was refused: while any is, nothing runs. */
  const problems = computed<FieldProblem[]>(() => [
    ...shownFields.value.flatMap((name) => (fieldErrors.value[name] ? [{ name, label: SAMPLE_FIELDS[name].label, message: fieldErrors.value[name] as string }] : [])),
    ...shownOptions.value.flatMap(({ sampler, option }) => {
      const message = optionError(sampler, option);
      return message ? [{ name: optionKey(sampler, option.name), label: option.label, message }] : [];
    }),
  ]);
  /** What a comparison with the settings shown would cost, or null without a model. */
  const cost = computed(() => {
    const choice = selected.value;
    void rateVersion.value;
    if (!choice || !isAvailable(choice)) return null;
    try {
      const images = imageShapeOf(itemShape(choice)) !== null;
      const s = settings.value;
      const n = images ? s.images : s.count;
      return { key: `${choice.key}|${n}|${s.steps}`, what: images ? ('images' as const) : ('particles' as const), ...sampleCost(n, s.steps, itemSize(choice), images, rates.get(choice.key) ?? null) };
    } catch {
      return null;
    }
  });
  /** Why the run the controls describe would be slow or large, shown before it starts; null when it is not. */
  const costNote = computed(() => (cost.value ? costWarning(cost.value, cost.value.what) : null));
  /** True when a run with what is shown can start now. */
  const canRun = computed(() => selected.value !== null && isAvailable(selected.value) && problems.value.length === 0 && !running.value);
  /** The model the session keeps: the one waiting to be picked, else the one picked; sampled if its samples are on screen. */
  const remembered = computed(() => wanted.value ?? (selectedKey.value ? { key: selectedKey.value, resample: comparison.value?.choice.key === selectedKey.value } : null));

  const nextId = (role: string) => `studio-${role}-${++counter}`;

  /** Loads the samplers and the models, selects the first model, and follows runs as they train. */
  async function init(next: StudioApi): Promise<void> {
    api = next;
    const mine = (catalog = new ModelCatalog(next));
    offStatus?.();
    // a run that starts, checkpoints or ends changes its entry (a checkpoint rewrites run.json, which sends this event)
    const offUpdated = next.on('training.status', (p) => {
      void mine.update(p.run).then(
        (list) => catalog === mine && setChoices(list),
        () => undefined,
      );
    });
    // a deleted run's checkpoint and exports are gone from the choices
    const offDeleted = next.on('training.deleted', (p) => {
      setChoices(mine.remove(p.runId));
      void refreshModels();
    });
    offStatus = () => {
      offUpdated();
      offDeleted();
    };
    try {
      samplers.value = await next.call('sampling.samplers', {});
    } catch (err) {
      choicesError.value = messageOf(err);
    }
    await refreshModels();
  }

  /** Reads the model list again (a new export shows up here). */
  async function refreshModels(): Promise<void> {
    const mine = catalog;
    if (!api || !mine) return;
    try {
      const list = await mine.refresh();
      if (mine !== catalog) return;
      setChoices(list, true);
      choicesError.value = null;
    } catch (err) {
      choicesError.value = messageOf(err);
    }
  }

  /** Takes a new list; complete when it is a full read (a wanted model missing from one is given up). */
  function setChoices(list: ModelChoice[], complete = false): void {
    listed.value = markRaw(list);
    const want = wanted.value;
    if (want) {
      const found = choices.value.find((c) => c.key === want.key);
      // sampling it again needs the sampler list (init reads it before the models)
      if (found && isAvailable(found) && (samplers.value.length > 0 || !want.resample)) {
        wanted.value = null;
        selectModel(found.key, { keepSettings: true });
        if (want.resample) void run({ confirmed: true });
        return;
      }
      if (!complete) return;
      wanted.value = null;
    }
    if (!selected.value) {
      const first = choices.value.find(isAvailable);
      if (first) selectModel(first.key);
    }
  }

  /** Opens a model file (a path on the studio's machine, a file by its path where pathOf knows it, else sent) and picks it; the studio's refusal is thrown. */
  async function openFile(file: File | string, pathOf?: (file: File) => string): Promise<void> {
    if (!api) throw new Error('The studio is not connected: the model cannot be opened yet.');
    const [choice] = catalogChoices([await openModelFile(api, file, pathOf)]);
    opened.value = markRaw([...opened.value.filter((c) => c.key !== choice.key), choice]);
    selectModel(choice.key);
  }

  /**
   * Picks a model once the list holds it (now, if it does), and samples it then when resample is set: a reloaded
   * page gets back the model it showed. A model the list no longer has leaves the first one picked.
   */
  function preferModel(key: string, resample: boolean): void {
    wanted.value = { key, resample };
    if (listed.value.length > 0) setChoices(listed.value);
  }

  /**
   * Picks a model; a conditional model's own guidance weight becomes the default (unless keepSettings: a restored
   * session keeps its own). A model that cannot be sampled is not picked.
   */
  function selectModel(key: string, options: { keepSettings?: boolean } = {}): void {
    const choice = choices.value.find((c) => c.key === key);
    if (!choice || !isAvailable(choice)) return;
    if (!options.keepSettings) wanted.value = null;
    if (key !== selectedKey.value) {
      // points measured on another model do not belong on this one's chart
      void cancelMetric();
      metricPoints.value = [];
    }
    selectedKey.value = key;
    const guidance = defaultGuidance(choice);
    if (guidance !== null && !options.keepSettings) {
      configure({ guidance, classLabel: 0 });
      clearField('guidance');
    }
    // an input the new model does not show cannot hold a run back
    for (const name of Object.keys(fieldErrors.value) as SampleFieldName[]) if (!shownFields.value.includes(name)) clearField(name);
  }

  /** Changes settings; a change takes effect at the next run. */
  function configure(patch: Partial<SampleSettings>): void {
    settings.value = { ...settings.value, ...patch };
    costPending.value = null;
  }

  /**
   * Takes what was typed into a numeric input: a value the field takes becomes the setting, anything else its message.
   * unreadable: the input holds text it cannot read as a number (a number input then reports its text as empty).
   */
  function setField(name: SampleFieldName, text: string, unreadable = false): void {
    const read = readField(name, unreadable ? 'not a number' : text);
    if ('value' in read) {
      clearField(name);
      configure({ [name]: read.value });
    } else {
      fieldErrors.value = { ...fieldErrors.value, [name]: read.problem };
      drafts.value = { ...drafts.value, [name]: text };
      costPending.value = null;
    }
  }

  function clearField(name: SampleFieldName): void {
    if (!(name in fieldErrors.value) && !(name in drafts.value)) return;
    const { [name]: _e, ...errors } = fieldErrors.value;
    const { [name]: _d, ...rest } = drafts.value;
    fieldErrors.value = errors;
    drafts.value = rest;
  }

  /** The text a numeric input shows: what was typed when it was refused, else the setting. */
  function fieldText(name: SampleFieldName): string {
    return drafts.value[name] ?? String(settings.value[name]);
  }

  /** The message of an option field: its typed text refused, or a kept value (a reloaded page's) outside the range now declared. */
  function optionError(sampler: string, option: SamplerOptionInfo): string | null {
    const key = optionKey(sampler, option.name);
    if (optionErrors.value[key]) return optionErrors.value[key];
    const kept = settings.value.samplerOptions[sampler]?.[option.name];
    if (kept === undefined) return null;
    const read = readNumber(optionField(option), String(kept));
    return 'problem' in read ? read.problem : null;
  }

  /** Takes what was typed into a sampler's option field, as setField does for the other numbers. */
  function setOption(sampler: string, name: SamplerOptionName, text: string, unreadable = false): void {
    const option = info(sampler)?.options.find((o) => o.name === name);
    if (!option) return;
    const key = optionKey(sampler, name);
    const read = readNumber(optionField(option), unreadable ? 'not a number' : text);
    if ('value' in read) {
      const { [key]: _e, ...errors } = optionErrors.value;
      const { [key]: _d, ...rest } = optionDrafts.value;
      optionErrors.value = errors;
      optionDrafts.value = rest;
      const all = settings.value.samplerOptions;
      configure({ samplerOptions: { ...all, [sampler]: { ...all[sampler], [name]: read.value } } });
    } else {
      optionErrors.value = { ...optionErrors.value, [key]: read.problem };
      optionDrafts.value = { ...optionDrafts.value, [key]: text };
      costPending.value = null;
    }
  }

  /** The text an option field shows: what was typed when refused, else the value set, else the declared default. */
  function optionText(sampler: string, option: SamplerOptionInfo): string {
    return optionDrafts.value[optionKey(sampler, option.name)] ?? String(settings.value.samplerOptions[sampler]?.[option.name] ?? option.default);
  }

  /** The options a panel's request sets for its sampler. */
  function panelOptions(panel: Panel, sampler: string): SamplerOptionValues {
    return requestOptions(info(sampler), panel, settings.value.samplerOptions[sampler], settings.value.gamma);
  }

  /** The model part of a request for the selected model. */
  function modelRequest(choice: ModelChoice): Params<'sampling.run'>['model'] {
    if (choice.kind === 'onnx') return { kind: 'onnx', path: choice.path };
    if (choice.kind === 'run') return { kind: 'run', runId: choice.runId };
    return { kind: 'oracle', mixture: choice.mixture, schedule: { name: settings.value.schedule }, parameterisation: 'velocity' };
  }

  function conditioning(n: number): Pick<Params<'sampling.run'>, 'labels' | 'guidance'> {
    if (classes.value === 0) return {};
    return { labels: new Int32Array(n).fill(settings.value.classLabel), guidance: settings.value.guidance };
  }

  /**
   * Runs both panels from the same noise, recording every particle at every step. Refused, with the reason in runError,
   * while an input holds text it does not take; a costly run waits in costPending until run({ confirmed: true }).
   * A run started while one is in flight replaces it (the slider re-samples as it moves).
   */
  async function run(options: { confirmed?: boolean } = {}): Promise<void> {
    const choice = selected.value;
    if (!api || !choice) return;
    if (choice.kind === 'run' && choice.unavailable) {
      runError.value = `${choice.label}: ${choice.unavailable}`;
      return;
    }
    if (problems.value.length > 0) {
      runError.value = refusal('Not sampled', problems.value);
      return;
    }
    const costly = cost.value && costNote.value ? cost.value.key : null;
    if (costly && costly !== agreedCost && !options.confirmed) {
      costPending.value = costNote.value;
      return;
    }
    if (costly) agreedCost = costly;
    costPending.value = null;
    if (running.value) void cancelIds(runIds);
    const mine = ++generation;
    const s = settings.value;
    const shape = itemShape(choice);
    const dim = itemSize(choice);
    const images = imageShapeOf(shape) !== null;
    const count = images ? s.images : s.count;
    const noise = new Rng(s.seed).fillNormal(new Float32Array(count * dim));
    const base = { model: modelRequest(choice), steps: s.steps, grid: 'uniform', seed: s.seed, noise, record: count, denoiseLast: false, ...conditioning(count) };
    const ids = [nextId('ode'), nextId('sde')];
    runIds = ids;
    running.value = true;
    runError.value = null;
    try {
      const one = async (id: string, sampler: string, panel: Panel): Promise<PanelRun> => {
        const gamma = panel === 'sde' ? s.gamma : 0;
        const r = await (api as StudioApi).call('sampling.run', { ...base, id, sampler, ...panelOptions(panel, sampler) });
        if (!r.trajectory) throw new Error('the studio returned no recorded steps');
        const x0 = images ? markRaw(r.trajectory.x0) : null;
        return { sampler, gamma, x: markRaw(r.trajectory.x), x0, itemShape: shape, times: markRaw(r.trajectory.times), n: count, dim, nfe: r.nfe, seconds: r.seconds };
      };
      // both panels at once; for a run the studio hands both requests the same checkpoint's file
      const [ode, sde] = onOneGrid(await Promise.all([one(ids[0], s.odeSampler, 'ode'), one(ids[1], s.sdeSampler, 'sde')]), s.steps);
      if (mine !== generation) return;
      // both panels ran side by side: the slower one is the wait
      rates.set(choice.key, Math.max(ode.seconds, sde.seconds) / (count * s.steps));
      rateVersion.value++;
      // a re-run with the same steps (a new gamma) keeps the scrubbed step in view
      const same = comparison.value?.ode.times.length === ode.times.length;
      comparison.value = markRaw({ ode, sde, choice, schedule: s.schedule, noise, classLabel: classCount(choice) > 0 ? s.classLabel : null });
      if (!same) step.value = 0;
      version.value++;
    } catch (err) {
      if (mine === generation) runError.value = messageOf(err);
    } finally {
      if (mine === generation) running.value = false;
    }
  }

  /** Stops the runs in flight. */
  async function cancel(): Promise<void> {
    if (!api || !running.value) return;
    await cancelIds(runIds);
  }

  async function cancelIds(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => (api as StudioApi).call('sampling.cancel', { id }).catch(() => null)));
  }

  /** What an action refused while an input is refused says ('Not measured: Seed is not valid ...'), or null when none is. */
  function refusalOf(what: string): string | null {
    return problems.value.length > 0 ? refusal(what, problems.value) : null;
  }

  /** Drops the costly run waiting for a go-ahead. */
  function dismissCost(): void {
    costPending.value = null;
  }

  /** Moves the scrubber (clamped to the recorded steps). */
  function setStep(next: number): void {
    step.value = Math.max(0, Math.min(stepCount.value, Math.round(next)));
  }

  /** Measures both samplers against held-out data at each step count of SWEEP_STEPS. */
  async function computeMetric(): Promise<void> {
    const choice = selected.value;
    if (!api || !choice || metricRunning.value) return;
    if (problems.value.length > 0) {
      metricError.value = refusal('Not measured', problems.value);
      return;
    }
    const mine = ++metricGeneration;
    const s = settings.value;
    metricPoints.value = [];
    metricTotal.value = SWEEP_STEPS.length * 2;
    metricRunning.value = true;
    metricError.value = null;
    try {
      const reference = await loadReference(api, choice, METRIC_COUNT, s.schedule, s.seed);
      await runSweep(api, {
        request: { model: modelRequest(choice), grid: 'uniform', seed: s.seed + 1, n: METRIC_COUNT, denoiseLast: false, ...conditioning(METRIC_COUNT) },
        samplers: [
          { panel: 'ode', sampler: s.odeSampler, options: panelOptions('ode', s.odeSampler) },
          { panel: 'sde', sampler: s.sdeSampler, options: panelOptions('sde', s.sdeSampler) },
        ],
        steps: SWEEP_STEPS,
        metric: s.metric,
        reference,
        dim: itemSize(choice),
        nextId: () => (metricRunId = nextId('metric')),
        onPoint: (p) => {
          if (mine === metricGeneration) metricPoints.value = [...metricPoints.value, p];
        },
        cancelled: () => mine !== metricGeneration,
      });
    } catch (err) {
      if (mine === metricGeneration) metricError.value = messageOf(err);
    } finally {
      if (mine === metricGeneration) metricRunning.value = false;
    }
  }

  /** Stops the sweep; the points measured so far stay on the chart. */
  async function cancelMetric(): Promise<void> {
    if (!metricRunning.value) return;
    metricGeneration++;
    metricRunning.value = false;
    if (api && metricRunId) await api.call('sampling.cancel', { id: metricRunId }).catch(() => null);
  }

  return {
    choices,
    choicesError: readonly(choicesError),
    selectedKey: readonly(selectedKey),
    selected,
    classes,
    classChoices,
    imageShape,
    samplers: readonly(samplers),
    groups,
    odeSamplers,
    sdeSamplers,
    shownOptions,
    optionErrors: readonly(optionErrors),
    setOption,
    optionText,
    optionError,
    settings: readonly(settings),
    comparison: computed(() => comparison.value),
    version: readonly(version),
    step: readonly(step),
    stepCount,
    time,
    running: readonly(running),
    runError: readonly(runError),
    metricPoints: readonly(metricPoints),
    metricTotal: readonly(metricTotal),
    metricRunning: readonly(metricRunning),
    metricError: readonly(metricError),
    fieldErrors: readonly(fieldErrors),
    shownFields,
    problems,
    blocked: computed(() => refusalOf('Not sampled')),
    refusalOf,
    cost,
    costNote,
    costPending: readonly(costPending),
    canRun,
    remembered,
    init,
    refreshModels,
    openFile,
    selectModel,
    preferModel,
    configure,
    setField,
    fieldText,
    dismissCost,
    modelRequest,
    run,
    cancel,
    setStep,
    computeMetric,
    cancelMetric,
  };
});
