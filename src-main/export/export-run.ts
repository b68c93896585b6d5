// Export of a trained run: the latest checkpoint's EMA weights in the run's network, written as an ONNX model in the studio's format.
import { isAbsolute, relative } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { writeOnnx } from '../../src-core/onnx/writer';
import { buildSamplerGraph, samplerGraphMetadata, type SamplerGraphOptions } from '../../src-core/onnx/sampler-graph';
import { studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { loadRun, readLatestCheckpoint } from '../runs';
import { STUDIO_VERSION } from '../version';
import { writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';
import { describeRunModel, type RunModel } from './run-model';

/** Options of exportRun. */
export interface ExportOptions {
  /** Default classifier-free guidance weight written for class-conditional models (default 1). */
  readonly guidance?: number;
  /** Use the raw weights instead of their moving average (for runs trained with EMA off). */
  readonly rawWeights?: boolean;
  /** Write a self-contained sampler graph (noise[, y] -> samples) instead of the network. */
  readonly samplerGraph?: SamplerGraphOptions;
  /** A workspace to look for the run's saved data set in first (before the one the run records). */
  readonly workspace?: string;
}

/** What exportRun wrote. */
interface ExportResult {
  readonly path: string;
  readonly bytes: number;
  /** The training step of the exported checkpoint. */
  readonly step: number;
  readonly meta: StudioModelMeta;
  /** What was repaired or skipped on the way (a rebuilt run.json, a damaged checkpoint passed over), one line each. */
  readonly warnings: readonly string[];
}

/** The ONNX bytes of a run's latest checkpoint with the studio's metadata, and what they describe. */
export async function exportRunBytes(
  runDir: string,
  options: ExportOptions = {},
): Promise<{ bytes: Uint8Array; step: number; meta: StudioModelMeta; details: RunModel['details']; run: { readonly id: string; readonly name: string }; warnings: readonly string[] }> {
  const run = await loadRun(runDir);
  const latest = await readLatestCheckpoint(runDir);
  if (!latest) throw new StudioError('not-found', `run ${run.id} has no checkpoint yet: train it first`);
  const { meta, model, details } = await describeRunModel(run, runDir, { guidance: options.guidance, workspace: options.workspace });
  const weights = options.rawWeights ? latest.checkpoint.weights : latest.checkpoint.ema;
  if (weights.length !== model.layout.size) {
    throw new StudioError('invalid-shape', `${latest.file} holds ${weights.length} weights but the run's network needs ${model.layout.size}`);
  }
  const docString = `Diffusion Studio run ${run.id} ('${run.record.name}'), step ${latest.checkpoint.step}`;
  const sg = options.samplerGraph;
  const bytes = sg
    ? writeOnnx(buildSamplerGraph(model.graph, meta, sg), weights, { metadata: samplerGraphMetadata(meta, sg), producerVersion: STUDIO_VERSION, docString })
    : writeOnnx(model.graph, weights, { metadata: studioMetadata(meta), producerVersion: STUDIO_VERSION, docString });
  return { bytes, step: latest.checkpoint.step, meta, details, run: { id: run.id, name: run.record.name }, warnings: [...run.notes, ...latest.problems] };
}

/** Exports a run folder's latest checkpoint to outPath (written atomically, through fs). */
export async function exportRun(runDir: string, outPath: string, options: ExportOptions = {}, fs: FileSystem = nodeFileSystem): Promise<ExportResult> {
  const { bytes, step, meta, warnings } = await exportRunBytes(runDir, options);
  // an export into the run's own folder never makes that folder again (a run deleted meanwhile stays deleted)
  const inRun = !relative(runDir, outPath).startsWith('..') && !isAbsolute(relative(runDir, outPath));
  await writeFileAtomic(outPath, bytes, fs, inRun ? { within: runDir } : {});
  return { path: outPath, bytes: bytes.length, step, meta, warnings };
}
