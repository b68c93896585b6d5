// A training run as a model file: its latest checkpoint's EMA weights in the studio's format, one file per checkpoint.
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exportRunBytes } from '../export/export-run';
import { writeFileAtomic } from '../workspace/atomic-write';
import { pathExists } from '../workspace/path-exists';

/** Older live files kept beside the newest, so a request that was handed one a moment ago can still open it. */
const KEEP_OLDER = 2;
const LIVE = /^step-\d+-[0-9a-f]{12}\.onnx$/;

/**
 * Each checkpoint gets its own file name (step and content hash), written once: a file that a session has open is
 * never rewritten, so two requests on the same run, or a request while the run writes a newer checkpoint, never see
 * their session closed under them. Concurrent requests for one run share one export.
 */
export class LiveModels {
  private readonly pending = new Map<string, Promise<string>>();

  /** runDirOf gives a run id's folder (and refuses a string that is no run id). */
  constructor(private readonly runDirOf: (runId: string) => string) {}

  /** The path of a file holding the run's latest checkpoint, written if it is not there yet. */
  path(runId: string): Promise<string> {
    const inFlight = this.pending.get(runId);
    if (inFlight) return inFlight;
    const work = this.write(runId).finally(() => this.pending.delete(runId));
    this.pending.set(runId, work);
    return work;
  }

  private async write(runId: string): Promise<string> {
    const dir = this.runDirOf(runId);
    const folder = join(dir, '.live');
    const { bytes, step } = await exportRunBytes(dir);
    const name = `step-${step}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.onnx`;
    const path = join(folder, name);
    if (!(await pathExists(path))) {
      await writeFileAtomic(path, bytes, undefined, { within: dir }); // a run deleted meanwhile stays deleted
      await prune(folder, name);
    }
    return path;
  }
}

/** Removes live files beyond the newest few (by modification time); a file that cannot be removed is left for later. */
async function prune(folder: string, newest: string): Promise<void> {
  const names = (await readdir(folder)).filter((n) => LIVE.test(n) && n !== newest);
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(folder, n)).catch(() => null))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.t - a.t);
  await Promise.all(dated.slice(KEEP_OLDER).map(({ n }) => rm(join(folder, n), { force: true }).catch(() => undefined)));
}
