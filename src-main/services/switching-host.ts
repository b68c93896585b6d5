// A studio whose workspace folder can change while it serves (the headless server): one host at a time behind one dispatch and one event stream.
import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { EventHub } from '../../src-core/api/event-hub';
import { StudioError } from '../../src-core/errors';
import type { StudioHost } from './studio-host';

/** Opens a host over a folder; changeWorkspace is what its app.changeWorkspace calls. */
type OpenHost = (workspace: string, changeWorkspace: (path: string) => Promise<string>) => StudioHost;

/** Makes the folder a workspace lives in, or says in the studio's words why it cannot be one. */
async function workspaceFolder(path: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new StudioError('invalid-argument', `${path} cannot be the workspace: ${why}`, [{ path: ['path'], message: why }]);
  };
  if (!isAbsolute(path)) refuse("give the folder's full path on the studio's machine");
  const folder = resolve(path);
  try {
    await mkdir(folder, { recursive: true });
    if (!(await stat(folder)).isDirectory()) refuse('it is not a folder');
  } catch (err) {
    if (err instanceof StudioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    refuse(code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code === 'EACCES' || code === 'EPERM' ? 'the folder cannot be written' : (err as Error).message);
  }
  return folder;
}

/**
 * Serves one workspace at a time, starting with first. A change makes the new folder, lets the open host checkpoint
 * and stop its runs, then opens the next one (the previous one again where that fails) and tells every page.
 * Changes go one at a time, so that no run ever has two hosts writing it.
 */
export function switchingHost(first: string, open: OpenHost): StudioHost {
  const events = new EventHub();
  let current: StudioHost;
  let forward = (): void => undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const use = (workspace: string): StudioHost => {
    const host = open(workspace, change);
    forward();
    forward = host.events.onAny((event, payload) => events.emit(event, payload as never));
    current = host;
    return host;
  };

  const change = (path: string): Promise<string> => {
    const next = queue.then(async () => {
      const folder = await workspaceFolder(path);
      if (folder === resolve(current.workspace)) return folder;
      const old = current;
      await old.close();
      try {
        use(folder);
      } catch (err) {
        use(old.workspace);
        throw err;
      }
      events.emit('app.workspaceChanged', { workspace: folder });
      return folder;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  use(first);
  return {
    dispatch: (method, params) => current.dispatch(method, params),
    events,
    get workspace() {
      return current.workspace;
    },
    workerPid: (runId) => current.workerPid(runId),
    // files handed over during a change wait for the host being opened
    openFiles: (paths, cwd) => queue.then(() => current.openFiles(paths, cwd)),
    close: () => queue.then(() => current.close()),
  };
}
