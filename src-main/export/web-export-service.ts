// The web page export methods of the API over one workspace: a page into a run's exports folder by name, or into a folder named by path.
import { join } from 'node:path';
import type { Result } from '../../src-core/api/contract';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { WEB_EXPORT_METHODS } from '../../src-core/api/methods/web-export';
import { StudioError } from '../../src-core/errors';
import type { RunFolders } from '../training/run-folder';
import type { ExportOptions } from './export-run';
import { exportWebPage } from './web-export';
import { ExportWriteGuard } from './write-guard';
import { pathExists } from '../workspace/path-exists';

/** Writes web pages of runs; two writes to one folder at once are refused. */
export class WebExportService {
  /** `writing` is shared with the workspace's other export services, so two exports never write one folder at once. */
  constructor(
    private readonly runs: RunFolders,
    private readonly writing = new ExportWriteGuard(),
  ) {}

  /** The handlers of the web page export methods. */
  handlers(): DomainHandlers<typeof WEB_EXPORT_METHODS> {
    return {
      'models.exportWeb': (p) => this.intoRun(p.runId, p.name, p.overwrite ?? false, { samplerGraph: p.samplerGraph, guidance: p.guidance, rawWeights: p.rawWeights }),
      'models.exportWebFolder': (p) => this.intoFolder(p.runId, p.path, { samplerGraph: p.samplerGraph, guidance: p.guidance, rawWeights: p.rawWeights }),
    };
  }

  /** The page in <run>/exports/<name>/; an earlier one of that name is replaced only with overwrite. */
  private async intoRun(runId: string, name: string, overwrite: boolean, options: ExportOptions): Promise<Result<'models.exportWeb'>> {
    const dir = this.runs.dirOf(runId);
    const folder = join(dir, 'exports', name.trim());
    return this.writing.run(folder, async () => {
      if (!overwrite && (await pathExists(folder))) {
        const message = `an export named '${name.trim()}' exists already`;
        throw new StudioError('duplicate-name', `run ${runId}: ${message}`, [{ path: ['name'], message }]);
      }
      return copyResult(await exportWebPage(dir, folder, { ...options, workspace: this.runs.workspace, within: dir }));
    });
  }

  /** The page in a folder named by path: absent, empty, or an earlier page (replaced); a host that takes no paths refuses. */
  private async intoFolder(runId: string, path: string, options: ExportOptions): Promise<Result<'models.exportWebFolder'>> {
    const folder = this.runs.namedPath(path, 'path');
    const dir = this.runs.dirOf(runId);
    return this.writing.run(folder, async () => copyResult(await exportWebPage(dir, folder, { ...options, workspace: this.runs.workspace })));
  }
}

/** The writer's result as the API's mutable JSON shape. */
function copyResult(r: Awaited<ReturnType<typeof exportWebPage>>): Result<'models.exportWeb'> {
  return { path: r.path, bytes: r.bytes, step: r.step, warnings: [...r.warnings], files: r.files.map((f) => ({ ...f })) };
}
