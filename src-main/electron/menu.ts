// The application menu: standard roles plus the studio's own entries (open a file, workspace folder, recent files and workspaces, help).
import type { MenuItemConstructorOptions } from 'electron';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chooseFileToOpen, chooseWorkspaceFolder, type StudioDialog } from './dialogs';

/** The page the Help menu opens in the user's browser: the score-SDE paper the studio's math follows. */
export const HELP_URL = 'https://arxiv.org/abs/2011.13456';

/** What the menu needs from Electron (Menu, shell and dialog, or fakes); M is the menu type, W the window type. */
export interface MenuElectron<M, W> {
  readonly Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): M; setApplicationMenu(menu: M): void };
  readonly shell: { openPath(path: string): Promise<string>; openExternal(url: string): Promise<void> };
  readonly dialog: StudioDialog<W>;
}

/** Where the menu is and what its workspace entries act on. */
export interface MenuContext<W> {
  readonly platform: NodeJS.Platform;
  readonly workspace: string;
  getWindow(): W | null;
  /** Called with the folder the user picked, when it is another workspace than the open one. */
  onWorkspace(dir: string): void;
  /** Called with a file the user picked or chose from the recent ones, for the page to open. */
  onOpenFile(path: string): void;
  /** Workspaces and files opened before, newest first, and how many of each were taken off the list for being gone. */
  readonly recent?: { readonly workspaces: readonly string[]; readonly files: readonly string[]; readonly pruned: { readonly workspaces: number; readonly files: number } };
}

/** A recent submenu: the entries to reopen (or a disabled line saying there are none), and a quiet note of those taken off. */
function recentItems(entries: readonly string[], none: string, pruned: number, what: [string, string], open: (path: string) => void): MenuItemConstructorOptions[] {
  return [
    ...(entries.length === 0 ? [{ label: none, enabled: false }] : entries.map((path) => ({ label: path, click: () => open(path) }))),
    ...(pruned > 0 ? [{ type: 'separator' as const }, { label: `${pruned} missing ${pruned === 1 ? `${what[0]} was` : `${what[1]} were`} taken off this list`, enabled: false }] : []),
  ];
}

/** Builds the menu's template (kept apart from installing it so the items can be read). */
function menuTemplate<M, W>(electron: MenuElectron<M, W>, context: MenuContext<W>): MenuItemConstructorOptions[] {
  const isMac = context.platform === 'darwin';
  // A click's failure shows in a box; a rejected promise in the main process would only reach the log.
  const reportFailure = (title: string) => (error: unknown) => electron.dialog.showErrorBox(title, error instanceof Error ? error.message : String(error));
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open File…',
          accelerator: 'CmdOrCtrl+O',
          click: () =>
            chooseFileToOpen(electron.dialog, context.getWindow())
              .then((path) => {
                if (path) context.onOpenFile(path);
              })
              .catch(reportFailure('Could not open the file')),
        },
        {
          label: 'Open Recent File',
          submenu: recentItems(context.recent?.files ?? [], 'No file opened yet', context.recent?.pruned.files ?? 0, ['file', 'files'], (path) => context.onOpenFile(path)),
        },
        { type: 'separator' },
        {
          label: 'Open Workspace Folder',
          click: () =>
            openFolder(electron, context.workspace).catch(reportFailure('Could not open the workspace folder')),
        },
        {
          label: 'Change Workspace…',
          click: () =>
            chooseWorkspaceFolder(electron.dialog, context.getWindow())
              .then((dir) => {
                if (dir && resolve(dir) !== resolve(context.workspace)) context.onWorkspace(dir);
              })
              .catch(reportFailure('Could not change the workspace')),
        },
        {
          label: 'Open Recent Workspace',
          submenu: recentItems(
            (context.recent?.workspaces ?? []).filter((dir) => resolve(dir) !== resolve(context.workspace)),
            'No other workspace opened yet',
            context.recent?.pruned.workspaces ?? 0,
            ['folder', 'folders'],
            (dir) => context.onWorkspace(dir),
          ),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Diffusion models: the math the studio uses', click: () => electron.shell.openExternal(HELP_URL).catch(reportFailure('Could not open the link')) }],
    },
  ];
}

/** Builds and installs the menu. */
export function installMenu<M, W>(electron: MenuElectron<M, W>, context: MenuContext<W>): void {
  electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(menuTemplate(electron, context)));
}

async function openFolder<M, W>(electron: MenuElectron<M, W>, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  // openPath resolves to an error message rather than rejecting.
  const problem = await electron.shell.openPath(folder);
  if (problem) throw new Error(problem);
}
