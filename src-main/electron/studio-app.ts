// The desktop app's lifecycle over Electron's objects passed in: one instance, one secured window, the workspace's host, files it is opened with, a graceful quit.
import type { BrowserWindowConstructorOptions, IpcMain, WebContents } from 'electron';
import type { StudioHost } from '../services/studio-host';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol, type AppProtocolElectron } from './app-protocol';
import { registerIpc, studioTopFrame } from './ipc';
import { chooseWorkspaceFolder } from './dialogs';
import { installMenu, type MenuContext, type MenuElectron } from './menu';
import { filesInArgv } from './opened-files';
import { RecentList } from '../workspace/recent-list';
import { notifyRuns, type NotificationElectron } from './run-notifications';
import { applySecurity, type SecurityElectron } from './security';
import { originOf } from './studio-url';

/** The part of a BrowserWindow the app drives. */
interface StudioWindow {
  readonly webContents: Pick<WebContents, 'send' | 'isDestroyed' | 'reload'>;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  show(): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
}

/** Everything the app takes from Electron (the real module in main.ts, fakes in tests); M is the menu type, W the window type. */
export interface StudioElectron<M, W extends StudioWindow> extends Omit<SecurityElectron, 'shell'>, AppProtocolElectron, MenuElectron<M, W>, NotificationElectron {
  readonly shell: SecurityElectron['shell'] & MenuElectron<M, W>['shell'];
  readonly app: SecurityElectron['app'] & {
    requestSingleInstanceLock(): boolean;
    quit(): void;
    whenReady(): Promise<unknown>;
    /** The OS's own list of recent documents (macOS Dock and Windows jump list; absent on Linux). */
    addRecentDocument?(path: string): void;
    on(event: 'activate' | 'window-all-closed', listener: () => void): unknown;
    on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
    // macOS hands a double-clicked file over this event, before ready when it starts the app
    on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): unknown;
    on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  };
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly nativeTheme: { readonly shouldUseDarkColors: boolean };
}

/** Where the app's parts are and which workspace it opens. */
export interface StudioAppOptions {
  readonly platform: NodeJS.Platform;
  /** The built preload script (CommonJS, for the sandbox). */
  readonly preloadPath: string;
  /** The built renderer folder that studio://app/ serves. */
  readonly rendererRoot: string;
  /** electron-vite's dev server, which then serves the page instead of studio://app. */
  readonly devUrl?: string;
  readonly workspace: string;
  /** The user's settings folder, where the recent workspaces are kept (none kept without it). */
  readonly settingsDir?: string;
  /**
   * Whether the person picks the workspace (none was named to the app): it then reopens the last one they used, and on
   * the very first start asks for a folder (workspace being the answer to a cancel).
   */
  readonly pickWorkspace?: boolean;
  /** The app's command line, its working folder, and whether Electron runs it unpacked (then argv[1] is the app). */
  readonly argv?: readonly string[];
  readonly cwd?: string;
  readonly defaultApp?: boolean;
  /** Starts the services over a workspace folder, telling openedPath of each file opened by its path. */
  openHost(workspace: string, openedPath: (path: string) => void): StudioHost;
}

/** A started app: ready settles once the window is open (or the start failed and the app quits). */
interface StudioApp {
  readonly ready: Promise<void>;
}

/** Starts the app; null in a second instance, which quits and leaves the first one to show its window. */
export function startStudioApp<M, W extends StudioWindow>(electron: StudioElectron<M, W>, options: StudioAppOptions): StudioApp | null {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    // Nothing else may start here: a second host over the same workspace would fight the first for its runs.
    app.quit();
    return null;
  }
  registerAppScheme(electron);
  const pageOrigin = options.devUrl ? (originOf(options.devUrl) ?? APP_ORIGIN) : APP_ORIGIN;
  const pageUrl = options.devUrl ?? `${APP_ORIGIN}/index.html`;

  let win: W | null = null;
  let host: StudioHost | null = null;
  let unregister: (() => void) | null = null;
  let quitting = false;
  // Hosts of earlier workspaces still checkpointing their runs; quitting waits for them too.
  const closing = new Set<Promise<void>>();

  const connect = (w: W, h: StudioHost): void => {
    unregister?.();
    unregister = registerIpc(electron.ipcMain, h, w.webContents, studioTopFrame(pageOrigin));
  };

  const recent = options.settingsDir ? new RecentList(options.settingsDir) : null;
  let switching: Promise<void> = Promise.resolve();
  let offNotices: (() => void) | null = null;
  const showWindow = (): void => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  // Files opened before the first host is up (macOS's open-file comes before ready) wait here.
  const early: string[] = [];
  const cwd = options.cwd ?? '/';
  const openFiles = (paths: readonly string[], from = cwd): void => {
    if (paths.length === 0) return;
    if (!host) {
      early.push(...paths);
      return;
    }
    showWindow();
    // during a workspace change the files go to the host being opened, not the one closing
    void switching.then(() => host?.openFiles(paths, from));
  };

  const useWorkspace = (workspace: string): StudioHost => {
    let next: StudioHost | null = null;
    const menu = (recentLists?: MenuContext<W>['recent']) =>
      installMenu(electron, {
        platform: options.platform,
        workspace,
        getWindow: () => win,
        onWorkspace: (dir) => {
          switching = switching.then(() => switchWorkspace(workspace, dir));
        },
        onOpenFile: (path) => openFiles([path]),
        recent: recentLists,
      });
    // the list on disk is read after each change; a menu of a workspace left meanwhile is not put back
    const refreshMenu = (change: Promise<unknown> | undefined) =>
      change
        ?.then(() => recent?.read())
        .then(
          (read) => {
            if (read && host === next) menu({ ...read.lists, pruned: { workspaces: read.pruned.workspaces.length, files: read.pruned.files.length } });
          },
          () => undefined,
        );
    next = options.openHost(workspace, (path) => {
      electron.app.addRecentDocument?.(path);
      void refreshMenu(recent?.add('files', path));
    });
    host = next;
    offNotices?.();
    offNotices = notifyRuns(electron, next.events, showWindow);
    menu();
    void refreshMenu(recent?.add('workspaces', workspace));
    return next;
  };

  // One change at a time, and the next host opens only once the previous one has checkpointed and stopped its runs: a
  // quick change back to the same folder must never give one run two hosts writing it.
  const switchWorkspace = async (from: string, to: string): Promise<void> => {
    const old = host;
    if (old) {
      const done = old.close();
      closing.add(done);
      void done.finally(() => closing.delete(done));
      await done.catch(() => undefined);
    }
    if (quitting) return;
    let opened: StudioHost;
    try {
      opened = useWorkspace(to);
    } catch (error) {
      electron.dialog.showErrorBox('Could not open the workspace', error instanceof Error ? error.message : String(error));
      opened = useWorkspace(from);
    }
    if (win) {
      connect(win, opened);
      win.webContents.reload();
    }
  };

  const createWindow = (h: StudioHost): void => {
    const w = new electron.BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 600,
      title: 'Diffusion Studio',
      show: false,
      backgroundColor: electron.nativeTheme.shouldUseDarkColors ? '#14161a' : '#f7f7f8',
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    win = w;
    connect(w, h);
    w.once('ready-to-show', () => w.show());
    w.on('closed', () => {
      if (win !== w) return;
      unregister?.();
      unregister = null;
      win = null;
    });
    w.loadURL(pageUrl).catch((error: unknown) => electron.dialog.showErrorBox('The studio page did not load', String(error)));
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (win) showWindow();
    else if (host) createWindow(host);
    // a double-click on a file while the studio runs starts a second instance, which hands its command line here
    openFiles(filesInArgv(argv ?? [], options.defaultApp === true), workingDirectory || cwd);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFiles([path]);
  });

  /** The workspace the app opens with: the one named, else the last one used, else the one the person picks now. */
  const firstWorkspace = async (): Promise<string> => {
    if (!options.pickWorkspace || !recent) return options.workspace;
    const { lists } = await recent.read();
    if (lists.workspaces.length > 0) return lists.workspaces[0];
    return (await chooseWorkspaceFolder(electron.dialog, null)) ?? options.workspace;
  };

  const start = async (): Promise<void> => {
    applySecurity(electron, pageOrigin);
    serveAppProtocol(electron, options.rendererRoot);
    createWindow(useWorkspace(await firstWorkspace()));
    openFiles([...filesInArgv(options.argv ?? [], options.defaultApp === true), ...early.splice(0)]);
    app.on('activate', () => {
      if (!win && host) createWindow(host);
    });
  };
  const ready = app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      electron.dialog.showErrorBox('Diffusion Studio could not start', error instanceof Error ? error.message : String(error));
      app.quit();
    });

  // Graceful quit: training runs write a checkpoint and pause before the app goes.
  app.on('before-quit', (event) => {
    if (quitting || !host) return;
    event.preventDefault();
    quitting = true;
    void Promise.allSettled([host.close(), ...closing]).then(() => app.quit());
  });

  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  return { ready };
}
