// Export of a trained run as a Triton model repository: the network (batched) and, when asked, its sampler graph (unbatched).
import type { StudioModelMeta } from '../../src-core/onnx/studio-format';
import type { FileSystem } from '../workspace/file-system';
import { nodeFileSystem } from '../workspace/file-system';
import { exportRunBytes, type ExportOptions } from './export-run';
import { TRITON_DEFAULT_MAX_BATCH } from './triton-config';
import { writeTritonRepository, type TritonModel } from './triton-repository';

/** How the repository is written: the network's model name, its largest batch, whether a model folder the studio wrote may be replaced. */
interface TritonExportOptions {
  readonly model: string;
  readonly maxBatchSize?: number;
  readonly replace: boolean;
  /** Missing folders above the repository are made only below this one (a run's folder: a deleted run stays deleted). */
  readonly within?: string;
}

/** What exportRunToTriton wrote. */
interface TritonExportResult {
  readonly path: string;
  /** Bytes of all files written. */
  readonly bytes: number;
  readonly step: number;
  readonly meta: StudioModelMeta;
  readonly warnings: readonly string[];
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

/**
 * Writes the run's latest checkpoint into a Triton repository: model `<model>` is the network (dynamic batching), and
 * with options.samplerGraph, `<model>-sampler` is the sampler graph, served unbatched since it runs a fixed step count.
 */
export async function exportRunToTriton(runDir: string, repo: string, options: ExportOptions, triton: TritonExportOptions, fs: FileSystem = nodeFileSystem): Promise<TritonExportResult> {
  const { samplerGraph, ...networkOptions } = options;
  let net = await exportRunBytes(runDir, networkOptions);
  const models: TritonModel[] = [];
  if (samplerGraph) {
    let sg = await exportRunBytes(runDir, options);
    // a checkpoint written between the two reads: read the network again, so both models hold the same step
    for (let tries = 0; sg.step !== net.step && tries < 3; tries++) {
      net = await exportRunBytes(runDir, networkOptions);
      if (sg.step !== net.step) sg = await exportRunBytes(runDir, options);
    }
    models.push({ name: `${triton.model}-sampler`, onnx: sg.bytes, maxBatchSize: 0 });
  }
  models.unshift({ name: triton.model, onnx: net.bytes, maxBatchSize: triton.maxBatchSize ?? TRITON_DEFAULT_MAX_BATCH });
  const files = await writeTritonRepository(repo, models, { replace: triton.replace, ...(triton.within !== undefined ? { within: triton.within } : {}) }, fs);
  return { path: repo, bytes: files.reduce((a, f) => a + f.bytes, 0), step: net.step, meta: net.meta, warnings: net.warnings, files };
}
