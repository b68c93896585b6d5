// The paths exports are writing now, shared by every export service of a workspace: a second write to one of them is refused, not queued.
import { StudioError } from '../../src-core/errors';

/** Runs one write per path at a time; a second write to a path while the first is under way is refused. */
export class ExportWriteGuard {
  private readonly writing = new Set<string>();

  /** Runs `work` as the only write to `path`, or throws when another write to it is under way. */
  async run<T>(path: string, work: () => Promise<T>): Promise<T> {
    if (this.writing.has(path)) throw new StudioError('invalid-argument', `${path} is being written by another export`);
    this.writing.add(path);
    try {
      return await work();
    } finally {
      this.writing.delete(path);
    }
  }
}
