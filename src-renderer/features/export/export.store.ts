// The Export section's state: the runs, the chosen run's exports, and one export (ONNX file, web page or Triton repository) with its verdict.
import { defineStore } from 'pinia';
import { computed, readonly, ref, type DeepReadonly } from 'vue';
import type { Result } from '../../../src-core/api/contract';
import type { ExportedModel } from '../../../src-core/api/methods/models';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { messageOf, StudioError } from '../../../src-core/errors';

/** A run as training.list reports it. */
export type RunSummary = Result<'training.list'>['runs'][number];

/** The options of one export. */
export interface ExportRequest {
  name: string;
  /** null: the network alone; else a self-contained sampler graph. */
  samplerGraph: { sampler: 'euler' | 'heun'; steps: number } | null;
  overwrite: boolean;
  /** A web page folder (the sampler graph with a page that samples it in a browser) instead of an ONNX file. */
  web?: boolean;
  /** A Triton model repository folder instead of an ONNX file (the network, and the sampler graph when one is asked for). */
  triton?: { model?: string; maxBatchSize?: number };
}

/** A file an export wrote into its folder, relative to the folder. */
type WrittenFile = NonNullable<Result<'models.export'>['files']>[number];

/** The answer to an export: where the file went, and what the studio reads back from it. */
interface ExportOutcome {
  readonly path: string;
  readonly bytes: number;
  readonly step: number;
  readonly warnings: readonly string[];
  /** The file as models.list describes it; null if it was not listed. */
  readonly listed: ExportedModel | null;
  /** Whether a web page folder was written. */
  readonly web: boolean;
  /** For a Triton model repository: the files it holds. */
  readonly triton?: { readonly files: readonly WrittenFile[] };
}

/** A one-line verdict on an exported file, from the metadata the studio reads back. */
export function verdictOf(e: DeepReadonly<ExportedModel>): { ok: boolean; text: string } {
  if (e.error || !e.meta) return { ok: false, text: `not a valid studio model: ${e.error ?? 'no metadata'}` };
  const m = e.meta;
  const meta = [
    `parameterisation ${m.parameterisation}`,
    `schedule ${m.schedule.name}`,
    `data shape [${m.dataShape.join(', ')}]`,
    m.normalisation ? 'normalised' : 'not normalised',
    m.classes ? `${m.classes.count} classes, guidance ${m.classes.guidance}` : 'unconditional',
  ].join(', ');
  if (e.kind === 'triton-repository') {
    return { ok: true, text: `Triton model repository: ${e.models?.length === 1 ? 'model' : 'models'} ${(e.models ?? []).join(', ')}; metadata ${meta}` };
  }
  if (e.kind === 'sampler-graph') {
    const s = e.sampler;
    return { ok: true, text: `valid sampler graph: input noise${m.classes ? ', y' : ''}; ${s ? `${s.sampler}, ${s.steps} steps, ${s.grid} grid` : ''}; metadata ${meta}` };
  }
  return { ok: true, text: `valid studio model: inputs x, t${m.classes ? ', y' : ''}; metadata ${meta}` };
}


export const useExportStore = defineStore('export', () => {
  let api: StudioApi | null = null;
  let unsubscribe: (() => void) | null = null;

  const runs = ref<RunSummary[]>([]);
  const runsError = ref<string | null>(null);
  const selectedRunId = ref<string | null>(null);
  const exports = ref<ExportedModel[]>([]);
  const exportsError = ref<string | null>(null);
  const exporting = ref(false);
  const exportError = ref<string | null>(null);
  const outcome = ref<ExportOutcome | null>(null);

  const selectedRun = computed(() => runs.value.find((r) => r.id === selectedRunId.value) ?? null);
  /** Runs with a checkpoint to export (at least one step done). */
  const exportable = computed(() => runs.value.filter((r) => r.lastStep > 0));

  /** Connects to the API, lists the runs, and follows run status changes. */
  async function init(next: StudioApi): Promise<void> {
    dispose();
    api = next;
    const offStatus = next.on('training.status', () => void loadRuns());
    const offDeleted = next.on('training.deleted', () => void loadRuns());
    unsubscribe = () => {
      offStatus();
      offDeleted();
    };
    await loadRuns();
  }

  /** Stops following run status. */
  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  /** Reads the run list; keeps the selection if the run is still there, else picks the newest exportable run. */
  async function loadRuns(): Promise<void> {
    if (!api) return;
    try {
      const reply = await api.call('training.list', {});
      runs.value = [...reply.runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      runsError.value = null;
    } catch (err) {
      runsError.value = messageOf(err);
      return;
    }
    if (!selectedRun.value && exportable.value.length > 0) await selectRun(exportable.value[0].id);
  }

  /** Picks a run and lists its exports. */
  async function selectRun(id: string): Promise<void> {
    selectedRunId.value = id;
    outcome.value = null;
    exportError.value = null;
    await loadExports();
  }

  /** Lists the chosen run's exports. */
  async function loadExports(): Promise<void> {
    const id = selectedRunId.value;
    if (!api || !id) return;
    try {
      const reply = await api.call('models.list', { runId: id });
      if (id !== selectedRunId.value) return;
      exports.value = [...reply.exports].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
      exportsError.value = null;
    } catch (err) {
      exportsError.value = messageOf(err);
    }
  }

  /** Exports the chosen run, then reads the file back through models.list for its verdict. */
  async function exportRun(request: ExportRequest): Promise<void> {
    const runId = selectedRunId.value;
    if (!api || !runId || exporting.value) return;
    exporting.value = true;
    exportError.value = null;
    outcome.value = null;
    try {
      if (request.web) {
        const page = await api.call('models.exportWeb', {
          runId,
          name: request.name.trim(),
          ...(request.samplerGraph ? { samplerGraph: request.samplerGraph } : {}),
          ...(request.overwrite ? { overwrite: true } : {}),
        });
        outcome.value = { path: page.path, bytes: page.bytes, step: page.step, warnings: page.warnings, listed: null, web: true };
        return;
      }
      const r = await api.call('models.export', {
        runId,
        name: request.name.trim(),
        ...(request.samplerGraph ? { samplerGraph: request.samplerGraph } : {}),
        ...(request.overwrite ? { overwrite: true } : {}),
        ...(request.triton ? { triton: request.triton } : {}),
      });
      await loadExports();
      const listed = exports.value.find((e) => e.path === r.path) ?? null;
      outcome.value = { path: r.path, bytes: r.bytes, step: r.step, warnings: r.warnings, listed, web: false, ...(request.triton ? { triton: { files: r.files ?? [] } } : {}) };
    } catch (err) {
      // a name taken: say how to go on in the form's own terms
      const taken = err instanceof StudioError && err.code === 'duplicate-name' ? err.details.find((d) => d.path[0] === 'name') : undefined;
      exportError.value = taken ? `${taken.message[0].toUpperCase()}${taken.message.slice(1)}: choose another name, or tick “Replace a file of the same name”.` : messageOf(err);
    } finally {
      exporting.value = false;
    }
  }

  return {
    runs: readonly(runs),
    runsError: readonly(runsError),
    selectedRunId: readonly(selectedRunId),
    selectedRun,
    exportable,
    exports: readonly(exports),
    exportsError: readonly(exportsError),
    exporting: readonly(exporting),
    exportError: readonly(exportError),
    outcome: readonly(outcome),
    init,
    dispose,
    loadRuns,
    selectRun,
    loadExports,
    exportRun,
  };
});
