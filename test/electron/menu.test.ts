// The application menu's items and what each click does; the workspace dialog offers folders only, the file dialog the kinds the studio opens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { OPENABLE_FILES } from '../../src-core/api/methods/files';
import { chooseWorkspaceFolder, WORKSPACE_DIALOG } from '../../src-main/electron/dialogs';
import { HELP_URL, installMenu, type MenuContext } from '../../src-main/electron/menu';
import { isExternalWebLink } from '../../src-main/electron/studio-url';
import { FakeBrowserWindow, FakeDialog, FakeMenuModule, FakeShell, settle } from './fakes';

let base: string;
let Menu: FakeMenuModule;
let shell: FakeShell;
let dialog: FakeDialog;
let win: FakeBrowserWindow | null;
let picked: string[];
let openedFiles: string[];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'studio-menu-'));
  Menu = new FakeMenuModule();
  shell = new FakeShell();
  dialog = new FakeDialog();
  win = new FakeBrowserWindow({});
  picked = [];
  openedFiles = [];
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function install(overrides: Partial<MenuContext<FakeBrowserWindow>> = {}): MenuItemConstructorOptions[] {
  installMenu({ Menu, shell, dialog }, { platform: 'linux', workspace: join(base, 'ws'), getWindow: () => win, onWorkspace: (dir) => picked.push(dir), onOpenFile: (path) => openedFiles.push(path), ...overrides });
  return Menu.applicationMenu!.template;
}

/** The menu as text: top-level label or role, with its submenu's labels, roles and separators. */
function outline(template: MenuItemConstructorOptions[]): string[] {
  const name = (i: MenuItemConstructorOptions) => i.label ?? i.role ?? i.type ?? '?';
  return template.map((i) => (Array.isArray(i.submenu) ? `${name(i)}: ${i.submenu.map(name).join(', ')}` : name(i)));
}

function item(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])).find((i) => i.label === label);
  if (!found) throw new Error(`no menu item ${label}`);
  return found;
}

async function click(template: MenuItemConstructorOptions[], label: string): Promise<void> {
  await (item(template, label).click as unknown as () => Promise<void>)();
}

describe('application menu', () => {
  it('holds the studio entries and the standard roles (Linux and Windows)', () => {
    expect(outline(install())).toEqual([
      'File: Open File…, Open Recent File, separator, Open Workspace Folder, Change Workspace…, Open Recent Workspace, separator, quit',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help: Diffusion models: the math the studio uses',
    ]);
  });

  it('on macOS starts with the app menu and closes rather than quits from File', () => {
    expect(outline(install({ platform: 'darwin' }))).toEqual([
      'appMenu',
      'File: Open File…, Open Recent File, separator, Open Workspace Folder, Change Workspace…, Open Recent Workspace, separator, close',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help: Diffusion models: the math the studio uses',
    ]);
  });

  it('Open Recent Workspace lists the other workspaces newest first, opens the one clicked, and notes those taken off', async () => {
    const recentOf = (template: MenuItemConstructorOptions[]) => item(template, 'Open Recent Workspace').submenu as MenuItemConstructorOptions[];
    const empty = recentOf(install());
    expect(empty.map((i) => [i.label, i.enabled])).toEqual([['No other workspace opened yet', false]]);
    const open = join(base, 'ws');
    const shown = recentOf(install({ recent: { workspaces: [open, '/data/older', '/data/oldest'], files: [], pruned: { workspaces: 2, files: 0 } } }));
    expect(shown.map((i) => i.label ?? i.type)).toEqual(['/data/older', '/data/oldest', 'separator', '2 missing folders were taken off this list']);
    expect(shown[3].enabled).toBe(false);
    (shown[1].click as unknown as () => void)();
    expect(picked).toEqual(['/data/oldest']);
  });

  it('Open Recent File lists the files opened before, newest first, opens the one clicked, and notes those taken off', async () => {
    const recentOf = (template: MenuItemConstructorOptions[]) => item(template, 'Open Recent File').submenu as MenuItemConstructorOptions[];
    expect(recentOf(install()).map((i) => [i.label, i.enabled])).toEqual([['No file opened yet', false]]);
    const shown = recentOf(install({ recent: { workspaces: [], files: ['/data/moons.npy', '/models/w.onnx'], pruned: { workspaces: 0, files: 1 } } }));
    expect(shown.map((i) => i.label ?? i.type)).toEqual(['/data/moons.npy', '/models/w.onnx', 'separator', '1 missing file was taken off this list']);
    (shown[1].click as unknown as () => void)();
    expect(openedFiles).toEqual(['/models/w.onnx']);
    expect(picked).toEqual([]);
  });

  it('Open File… asks for one file of the kinds the studio opens, modal to the window, and hands over the one picked', async () => {
    const template = install();
    expect(item(template, 'Open File…').accelerator).toBe('CmdOrCtrl+O');
    await click(template, 'Open File…');
    expect(openedFiles).toEqual([]);
    dialog.answer = { canceled: false, filePaths: [join(base, 'w.onnx')] };
    await click(template, 'Open File…');
    expect(openedFiles).toEqual([join(base, 'w.onnx')]);
    expect(dialog.asked).toHaveLength(2);
    const asked = dialog.asked[1];
    expect(asked.window).toBe(win);
    expect(asked.options.properties).toEqual(['openFile']);
    expect(asked.options.filters?.[0]).toEqual({ name: 'Models and data', extensions: OPENABLE_FILES.map((f) => f.ext) });
    expect(asked.options.filters?.slice(1).map((f) => f.extensions)).toEqual(OPENABLE_FILES.map((f) => [f.ext]));
  });

  it('Open Workspace Folder makes the folder if needed and opens it in the file manager', async () => {
    await click(install(), 'Open Workspace Folder');
    expect((await stat(join(base, 'ws'))).isDirectory()).toBe(true);
    expect(shell.paths).toEqual([join(base, 'ws')]);
    expect(dialog.errors).toEqual([]);
  });

  it("Open Workspace Folder shows the file manager's complaint instead of losing it", async () => {
    shell.openPath = () => Promise.resolve('no application is registered to open folders');
    await click(install(), 'Open Workspace Folder');
    expect(dialog.errors).toEqual([{ title: 'Could not open the workspace folder', content: 'no application is registered to open folders' }]);
  });

  it('Change Workspace… asks for a folder, modal to the window, and hands over the one picked', async () => {
    const template = install();
    dialog.answer = { canceled: false, filePaths: [join(base, 'other')] };
    await click(template, 'Change Workspace…');
    expect(dialog.asked).toEqual([{ window: win, options: { title: 'Choose a workspace folder', properties: ['openDirectory', 'createDirectory'] } }]);
    expect(picked).toEqual([join(base, 'other')]);
  });

  it('Change Workspace… does nothing when cancelled or given the open workspace', async () => {
    const template = install();
    await click(template, 'Change Workspace…');
    dialog.answer = { canceled: false, filePaths: [join(base, 'ws') + '/'] };
    await click(template, 'Change Workspace…');
    expect(dialog.asked).toHaveLength(2);
    expect(picked).toEqual([]);
  });

  it('Change Workspace… with no window open asks without a parent window', async () => {
    win = null;
    dialog.answer = { canceled: false, filePaths: [join(base, 'other')] };
    await click(install(), 'Change Workspace…');
    expect(dialog.asked[0].window).toBeNull();
    expect(picked).toEqual([join(base, 'other')]);
  });

  it("Help opens the paper in the user's browser, an https link", async () => {
    await click(install(), 'Diffusion models: the math the studio uses');
    await settle();
    expect(shell.external).toEqual([HELP_URL]);
    expect(isExternalWebLink(HELP_URL)).toBe(true);
  });
});

describe('workspace dialog', () => {
  it('offers folders only (no file types to filter) and may create one', () => {
    expect(WORKSPACE_DIALOG.properties).toEqual(['openDirectory', 'createDirectory']);
    expect('filters' in WORKSPACE_DIALOG).toBe(false);
  });

  it('answers the first folder picked, or null when cancelled or empty', async () => {
    dialog.answer = { canceled: false, filePaths: ['/a', '/b'] };
    expect(await chooseWorkspaceFolder(dialog, win)).toBe('/a');
    dialog.answer = { canceled: true, filePaths: ['/a'] };
    expect(await chooseWorkspaceFolder(dialog, win)).toBeNull();
    dialog.answer = { canceled: false, filePaths: [] };
    expect(await chooseWorkspaceFolder(dialog, null)).toBeNull();
  });
});
