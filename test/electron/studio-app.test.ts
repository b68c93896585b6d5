// The app's lifecycle over fakes of Electron: one instance, one secured window, IPC from the studio page only, workspace changes, a graceful quit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../src-core/api/contract';
import { IPC_CALL, IPC_EVENT } from '../../src-core/api/ipc-channels';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { startStudioApp, type StudioAppOptions } from '../../src-main/electron/studio-app';
import { fakeElectron, FakeEvent, FakeNotification, settle, type FakeMenu } from './fakes';

let base: string;
/** A host the app opened; closed counts close calls, and close completes only once release is called (or at once by default). */
interface OpenedHost {
  workspace: string;
  host: StudioHost;
  closed: number;
  release: () => void;
  gate: Promise<void> | null;
}
let hosts: OpenedHost[];
let holdCloses = false;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'studio-app-'));
  hosts = [];
  holdCloses = false;
});

afterEach(async () => {
  await Promise.all(hosts.map((h) => h.host.close()));
  // the recent list may still be writing its file when a test ends
  await rm(base, { recursive: true, force: true, maxRetries: 5 });
});

function options(overrides: Partial<StudioAppOptions> = {}): StudioAppOptions {
  return {
    platform: 'linux',
    preloadPath: '/built/preload/index.cjs',
    rendererRoot: join(base, 'renderer'),
    workspace: join(base, 'first'),
    openHost: (workspace, openedPath) => {
      const host = createStudioHost({ workspace, version: 't', host: 'electron', openedPath });
      const record: OpenedHost = { workspace, host, closed: 0, release: () => undefined, gate: null };
      if (holdCloses) record.gate = new Promise<void>((resolve) => (record.release = resolve));
      hosts.push(record);
      return {
        ...host,
        close: async () => {
          record.closed++;
          await record.gate;
          await host.close();
        },
      };
    },
    ...overrides,
  };
}

/** Starts the app over fresh fakes and lets Electron become ready. */
async function started(overrides: Partial<StudioAppOptions> = {}) {
  const fake = fakeElectron();
  const app = startStudioApp(fake.electron, options(overrides));
  fake.app.becomeReady();
  await app!.ready;
  return fake;
}

function item(menu: FakeMenu | null, label: string): MenuItemConstructorOptions {
  const found = menu?.template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])).find((i) => i.label === label);
  if (!found) throw new Error(`no menu item ${label}`);
  return found;
}

async function click(menu: FakeMenu | null, label: string): Promise<void> {
  await (item(menu, label).click as unknown as () => Promise<void>)();
}

/** Waits (in turns of the event loop, at most 5 s) until a condition holds. */
async function until(ok: () => boolean): Promise<void> {
  const end = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

type Reply = { ok: boolean; result?: { workspace: string; host: string }; error?: { message: string } };

describe('single instance', () => {
  it('a second instance quits and starts nothing: no scheme, no host, no window', async () => {
    const fake = fakeElectron();
    fake.app.hasLock = false;
    expect(startStudioApp(fake.electron, options())).toBeNull();
    expect(fake.app.quits).toBe(1);
    fake.app.becomeReady();
    await settle();
    expect(fake.protocol.privileged).toEqual([]);
    expect(fake.protocol.handlers.size).toBe(0);
    expect(fake.windows).toEqual([]);
    expect(hosts).toEqual([]);
    expect(fake.app.listenerCount('web-contents-created')).toBe(0);
  });

  it('the first instance shows its window when a second one starts', async () => {
    const fake = await started();
    const [win] = fake.windows;
    win.minimized = true;
    fake.app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
    expect(fake.windows).toHaveLength(1);
  });
});

describe('start', () => {
  it('registers the studio scheme before ready, and the rest only once ready', async () => {
    const fake = fakeElectron();
    startStudioApp(fake.electron, options());
    expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['studio']);
    expect(fake.windows).toEqual([]);
    expect(fake.session.defaultSession.requestHandler).toBeNull();
    fake.app.becomeReady();
    await settle();
    expect(fake.session.defaultSession.requestHandler).not.toBeNull();
    expect(fake.session.defaultSession.checkHandler).not.toBeNull();
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect([...fake.protocol.handlers.keys()]).toEqual(['studio']);
    expect(fake.Menu.applicationMenu).not.toBeNull();
    expect(fake.windows).toHaveLength(1);
  });

  it('opens one window with the secure web preferences, loading the studio page', async () => {
    const fake = await started();
    const [win] = fake.windows;
    const prefs = win.options.webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).toBeUndefined();
    expect(prefs.nodeIntegrationInWorker).toBeUndefined();
    expect(prefs.nodeIntegrationInSubFrames).toBeUndefined();
    expect(prefs.experimentalFeatures).toBeUndefined();
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.preload).toBe('/built/preload/index.cjs');
    expect(win.loaded).toEqual(['studio://app/index.html']);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it("guards the window's own contents once Electron reports them", async () => {
    const fake = await started();
    const contents = fake.windows[0].webContents;
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.tryNavigation('will-navigate', 'studio://app/index.html')).toBe(true);
    expect(contents.tryNavigation('will-navigate', 'studio://apple/index.html')).toBe(false);
    expect(contents.tryOpenWindow('https://example.com/')).toEqual({ action: 'deny' });
  });

  it('says why and quits when the workspace cannot be opened', async () => {
    const fake = fakeElectron();
    const app = startStudioApp(fake.electron, options({ openHost: () => { throw new Error('workspace is not writable'); } }));
    fake.app.becomeReady();
    await app!.ready;
    expect(fake.dialog.errors).toEqual([{ title: 'Diffusion Studio could not start', content: 'workspace is not writable' }]);
    expect(fake.app.quits).toBe(1);
  });

  it('in development loads the dev server and trusts exactly its origin', async () => {
    const fake = await started({ devUrl: 'http://localhost:5173/' });
    const [win] = fake.windows;
    expect(win.loaded).toEqual(['http://localhost:5173/']);
    fake.app.emit('web-contents-created', {}, win.webContents);
    expect(win.webContents.tryNavigation('will-navigate', 'http://localhost:5173/index.html')).toBe(true);
    expect(win.webContents.tryNavigation('will-navigate', 'studio://app/index.html')).toBe(false);
    expect(((await fake.ipcMain.invoke(IPC_CALL, 'http://localhost:5173/', true, 'app.info', {})) as Reply).ok).toBe(true);
    expect(((await fake.ipcMain.invoke(IPC_CALL, 'http://localhost:5174/', true, 'app.info', {})) as Reply).ok).toBe(false);
  });
});

describe('IPC', () => {
  it("answers the studio page's top frame and no other sender", async () => {
    const fake = await started();
    const reply = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'app.info', {})) as Reply;
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatchObject({ workspace: join(base, 'first'), host: 'electron' });
    for (const [url, top] of [
      ['studio://app/index.html', false],
      ['studio://apple/index.html', true],
      ['studio://app.evil/index.html', true],
      ['studio://app@evil/index.html', true],
      ['https://evil.example/', true],
      [null, true],
    ] as const) {
      const refused = (await fake.ipcMain.invoke(IPC_CALL, url, top, 'app.info', {})) as Reply;
      expect(refused.ok, String(url)).toBe(false);
      expect(refused.error?.message).toMatch(/studio page/);
    }
  });

  it("forwards the host's events to the window", async () => {
    const fake = await started();
    hosts[0].host.events.emit('datasets.changed', { saved: [] });
    expect(fake.windows[0].webContents.sent).toEqual([[IPC_EVENT, 'datasets.changed', { saved: [] }]]);
  });
});

describe('recent workspaces', () => {
  it('each workspace opened goes first in the list kept in the settings folder, and the menu offers the others', async () => {
    const settingsDir = join(base, 'settings');
    const fake = await started({ settingsDir });
    const first = join(base, 'first');
    await mkdir(first, { recursive: true });
    const next = join(base, 'second');
    await mkdir(next, { recursive: true });
    fake.dialog.answer = { canceled: false, filePaths: [next] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await until(() => hosts.length === 2);
    const recentItems = () => item(fake.Menu.applicationMenu, 'Open Recent Workspace').submenu as MenuItemConstructorOptions[];
    await until(() => recentItems()[0].label === first);
    expect(JSON.parse(await readFile(join(settingsDir, 'recent.json'), 'utf8')).workspaces).toEqual([next, first]);
    // a click on the earlier workspace opens it again
    (recentItems()[0].click as unknown as () => void)();
    await until(() => hosts.length === 3);
    expect(hosts[2].workspace).toBe(first);
    await until(() => recentItems()[0].label === next);
  });
});

/** What the page gets when it takes the files handed to the studio. */
async function takeOpened(fake: ReturnType<typeof fakeElectron>): Promise<{ files: { path: string; name: string; opensAs: string }[]; notes: string[] }> {
  const reply = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'files.takeOpened', {})) as { ok: boolean; result: { files: { path: string; name: string; opensAs: string }[]; notes: string[] } };
  expect(reply.ok).toBe(true);
  return reply.result;
}

/** The events named 'files.opened' sent to a window. */
const openedEvents = (win: { webContents: { sent: unknown[][] } }) => win.webContents.sent.filter((m) => m[1] === 'files.opened');

describe('files the app is opened with', () => {
  it('hands the files of its command line to the page, relative ones from its working folder, with a note for each it cannot open', async () => {
    const model = join(base, 'w.onnx');
    await writeFile(model, 'bytes');
    await mkdir(join(base, 'data'), { recursive: true });
    await writeFile(join(base, 'data', 'moons.CSV'), 'x,y\n0,1\n');
    const fake = await started({
      argv: ['/opt/studio/diffusion-studio', '--no-sandbox', model, 'data/moons.CSV', 'notes.txt', 'gone.npy', 'readme.md'],
      cwd: base,
      defaultApp: false,
    });
    await until(() => openedEvents(fake.windows[0]).length > 0);
    const taken = await takeOpened(fake);
    expect(taken.files).toEqual([
      { path: model, name: 'w.onnx', opensAs: 'model' },
      { path: join(base, 'data', 'moons.CSV'), name: 'moons.CSV', opensAs: 'data' },
    ]);
    expect(taken.notes).toEqual([
      `notes.txt cannot be opened: there is no file at ${join(base, 'notes.txt')}.`,
      `gone.npy cannot be opened: there is no file at ${join(base, 'gone.npy')}.`,
      'readme.md cannot be opened here: the studio opens .onnx, .npy, .csv, .tsv, .txt, .json files.',
    ]);
    // taken means gone: a second page (or a reload) does not open them again
    expect(await takeOpened(fake)).toEqual({ files: [], notes: [] });
  });

  it('run unpacked (electron <app folder>), the app folder is not a file to open', async () => {
    const fake = await started({ argv: ['/usr/bin/electron', base], cwd: base, defaultApp: true });
    await settle();
    expect(openedEvents(fake.windows[0])).toEqual([]);
    expect(await takeOpened(fake)).toEqual({ files: [], notes: [] });
  });

  it("a file double-clicked while the studio runs comes from the second instance's command line, and brings the window up", async () => {
    const fake = await started({ cwd: '/' });
    const [win] = fake.windows;
    win.minimized = true;
    await writeFile(join(base, 'set.npy'), 'bytes');
    fake.app.emit('second-instance', {}, ['/opt/studio/diffusion-studio', '--allow-file-access-from-files', 'set.npy'], base);
    expect(win.minimized).toBe(false);
    await until(() => openedEvents(win).length > 0);
    expect(openedEvents(win)[0][2]).toEqual({ waiting: 1 });
    expect((await takeOpened(fake)).files.map((f) => f.path)).toEqual([join(base, 'set.npy')]);
  });

  it("macOS's open-file, before the app is ready and after, is taken from Electron and handed to the page", async () => {
    const early = join(base, 'early.onnx');
    const late = join(base, 'late.csv');
    await writeFile(early, 'bytes');
    await writeFile(late, 'x\n1\n');
    const fake = fakeElectron();
    const app = startStudioApp(fake.electron, options({ platform: 'darwin' }));
    const first = new FakeEvent();
    fake.app.emit('open-file', first, early);
    expect(first.prevented).toBe(true);
    fake.app.becomeReady();
    await app!.ready;
    await until(() => openedEvents(fake.windows[0]).length > 0);
    fake.app.emit('open-file', new FakeEvent(), late);
    await until(() => openedEvents(fake.windows[0]).length > 1);
    expect((await takeOpened(fake)).files.map((f) => f.name)).toEqual(['early.onnx', 'late.csv']);
  });

  it('a file opened while the workspace changes goes to the workspace being opened, not the one closing', async () => {
    holdCloses = true;
    const fake = await started();
    const file = join(base, 'during.npy');
    await writeFile(file, 'bytes');
    fake.dialog.answer = { canceled: false, filePaths: [join(base, 'second')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    fake.app.emit('second-instance', {}, ['/opt/studio/diffusion-studio', file], base);
    await settle();
    hosts[0].release();
    await until(() => hosts.length === 2);
    await until(() => openedEvents(fake.windows[0]).length > 0);
    expect((await takeOpened(fake)).files.map((f) => f.path)).toEqual([file]);
    expect(await hosts[0].host.dispatch('files.takeOpened', {})).toEqual({ ok: true, result: { files: [], notes: [] } });
  });

  it('File > Open File… hands the picked file to the page', async () => {
    const fake = await started();
    const picked = join(base, 'picked.npy');
    await writeFile(picked, 'bytes');
    fake.dialog.answer = { canceled: false, filePaths: [picked] };
    await click(fake.Menu.applicationMenu, 'Open File…');
    await until(() => openedEvents(fake.windows[0]).length > 0);
    expect((await takeOpened(fake)).files).toEqual([{ path: picked, name: 'picked.npy', opensAs: 'data' }]);
  });
});

describe('recent files', () => {
  it('a file the page opened by its path goes first in the recent files, the menu and the OS list; a click opens it again', async () => {
    const settingsDir = join(base, 'settings');
    const fake = await started({ settingsDir });
    const csv = join(base, 'points.csv');
    await writeFile(csv, 'x,y\n0,1\n2,3\n4,5\n');
    const reply = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'datasets.import', { name: 'points', path: csv, preview: true })) as Reply;
    expect(reply.error?.message).toBeUndefined();
    const recentFiles = () => item(fake.Menu.applicationMenu, 'Open Recent File').submenu as MenuItemConstructorOptions[];
    await until(() => recentFiles()[0].label === csv);
    expect(JSON.parse(await readFile(join(settingsDir, 'recent.json'), 'utf8')).files).toEqual([csv]);
    expect(fake.app.recentDocuments).toEqual([csv]);
    // a file that could not be read is not put on the list
    const bad = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'models.openFile', { path: join(base, 'missing.onnx') })) as Reply;
    expect(bad.ok).toBe(false);
    (recentFiles()[0].click as unknown as () => void)();
    await until(() => openedEvents(fake.windows[0]).length > 0);
    expect((await takeOpened(fake)).files.map((f) => f.path)).toEqual([csv]);
    expect(fake.app.recentDocuments).toEqual([csv]);
  });
});

describe('the workspace at start', () => {
  it('asks for a folder on the very first start, then reopens the last one used without asking', async () => {
    const settingsDir = join(base, 'settings');
    const chosen = join(base, 'chosen');
    await mkdir(chosen, { recursive: true });
    const fake = fakeElectron();
    fake.dialog.answer = { canceled: false, filePaths: [chosen] };
    const app = startStudioApp(fake.electron, options({ settingsDir, pickWorkspace: true }));
    fake.app.becomeReady();
    await app!.ready;
    expect(fake.dialog.asked.map((a) => a.options.title)).toEqual(['Choose a workspace folder']);
    expect(hosts.map((h) => h.workspace)).toEqual([chosen]);
    await until(() => existsSync(join(settingsDir, 'recent.json')));
    const again = fakeElectron();
    const second = startStudioApp(again.electron, options({ settingsDir, pickWorkspace: true }));
    again.app.becomeReady();
    await second!.ready;
    expect(again.dialog.asked).toEqual([]);
    expect(hosts[1].workspace).toBe(chosen);
  });

  it('opens the default folder when the first question is cancelled, and the named one without asking', async () => {
    const fake = await started({ settingsDir: join(base, 'settings'), pickWorkspace: true });
    expect(fake.dialog.asked).toHaveLength(1);
    expect(hosts[0].workspace).toBe(join(base, 'first'));
    const named = await started({ settingsDir: join(base, 'other-settings'), pickWorkspace: false });
    expect(named.dialog.asked).toEqual([]);
  });
});

describe('desktop notifications', () => {
  /** A run's summary as a 'training.status' event carries it. */
  const summary = (status: 'running' | 'paused' | 'completed' | 'failed', error: string | null = null): EventPayload<'training.status'> => ({
    message: null,
    run: {
      id: 'r1', name: 'moons', status, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', startedAt: null, finishedAt: null,
      lastStep: 900, totalSteps: 900, backend: null, error, active: status === 'running', describe: { data: 'two moons', model: 'MLP', objective: 'velocity' },
    },
  });

  it('shows one for a finished run and a fault pause, none for a pause the person asked for; a click brings the window up', async () => {
    FakeNotification.made.length = 0;
    const fake = await started();
    const { events } = hosts[0].host;
    events.emit('training.status', summary('running'));
    events.emit('training.status', summary('paused'));
    expect(FakeNotification.made).toEqual([]);
    events.emit('training.status', summary('running'));
    events.emit('training.status', summary('paused', 'the training process crashed at step 900; resume from step 800'));
    events.emit('training.status', summary('running'));
    events.emit('training.status', summary('completed'));
    events.emit('training.status', summary('completed'));
    expect(FakeNotification.made.map((n) => [n.options.title, n.options.body, n.shown])).toEqual([
      ['Training paused by a fault', 'moons at step 900: the training process crashed at step 900; resume from step 800', true],
      ['Training finished', 'moons: 900 steps trained.', true],
    ]);
    FakeNotification.made[1].clicked();
    expect(fake.windows[0].focused).toBe(true);
  });

  it('follows the open workspace only', async () => {
    FakeNotification.made.length = 0;
    const fake = await started();
    fake.dialog.answer = { canceled: false, filePaths: [join(base, 'second')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await until(() => hosts.length === 2);
    hosts[0].host.events.emit('training.status', summary('failed', 'loss is not finite'));
    expect(FakeNotification.made).toEqual([]);
    hosts[1].host.events.emit('training.status', summary('failed', 'loss is not finite'));
    expect(FakeNotification.made.map((n) => n.options.title)).toEqual(['Training failed']);
  });
});

describe('workspace change from the menu', () => {
  it('opens the chosen folder: a new host behind the same window, which reloads; the old host closes', async () => {
    const fake = await started();
    const [win] = fake.windows;
    const next = join(base, 'second');
    fake.dialog.answer = { canceled: false, filePaths: [next] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await until(() => hosts.length === 2);
    expect(fake.dialog.asked).toHaveLength(1);
    expect(fake.dialog.asked[0].window).toBe(win);
    expect(hosts.map((h) => h.workspace)).toEqual([join(base, 'first'), next]);
    expect(hosts[0].closed).toBe(1);
    expect(win.webContents.reloads).toBe(1);
    const reply = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'app.info', {})) as Reply;
    expect(reply.result?.workspace).toBe(next);
    // Events of the new host reach the window, those of the old one no longer do.
    hosts[0].host.events.emit('datasets.changed', { saved: [] });
    expect(win.webContents.sent).toEqual([]);
    hosts[1].host.events.emit('datasets.changed', { saved: [] });
    expect(win.webContents.sent).toHaveLength(1);
    // The menu now acts on the new workspace.
    await click(fake.Menu.applicationMenu, 'Open Workspace Folder');
    expect(fake.shell.paths).toEqual([next]);
  });

  it('a cancelled dialog or the same folder changes nothing', async () => {
    const fake = await started();
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    fake.dialog.answer = { canceled: false, filePaths: [join(base, 'first', '.')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    expect(fake.dialog.asked).toHaveLength(2);
    expect(hosts).toHaveLength(1);
    expect(hosts[0].closed).toBe(0);
    expect(fake.windows[0].webContents.reloads).toBe(0);
  });
});

describe('windows and quitting', () => {
  it('closing the window removes the IPC handler; on Linux and Windows the app quits', async () => {
    const fake = await started();
    fake.windows[0].close();
    expect(fake.ipcMain.handlers.size).toBe(0);
    fake.app.emit('window-all-closed');
    expect(fake.app.quits).toBe(1);
  });

  it('on macOS the app stays and activate opens a new window over the same host', async () => {
    const fake = await started({ platform: 'darwin' });
    fake.windows[0].close();
    fake.app.emit('window-all-closed');
    expect(fake.app.quits).toBe(0);
    fake.app.emit('activate');
    expect(fake.windows).toHaveLength(2);
    expect(fake.ipcMain.handlers.size).toBe(1);
    fake.app.emit('activate');
    expect(fake.windows).toHaveLength(2);
    expect(hosts).toHaveLength(1);
  });

  it('a second instance reopens the window where none is left (macOS)', async () => {
    const fake = await started({ platform: 'darwin' });
    fake.windows[0].close();
    fake.app.emit('second-instance');
    expect(fake.windows).toHaveLength(2);
  });

  it('opens the next workspace only once the open one has closed its runs, one change at a time', async () => {
    holdCloses = true;
    const fake = await started();
    const [win] = fake.windows;
    const ws = (name: string) => join(base, name);
    fake.dialog.answer = { canceled: false, filePaths: [ws('second')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    fake.dialog.answer = { canceled: false, filePaths: [ws('third')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await settle();
    // the first host is still checkpointing: nothing else is open over any folder yet
    expect(hosts.map((h) => [h.workspace, h.closed])).toEqual([[ws('first'), 1]]);
    expect(win.webContents.reloads).toBe(0);
    hosts[0].release();
    // the second opens, and the queued change closes it before the third opens
    await until(() => hosts.length === 2 && hosts[1].closed === 1);
    await settle();
    expect(hosts).toHaveLength(2);
    hosts[1].release();
    await until(() => hosts.length === 3);
    // back to the first folder: its new host waits for the third to close
    fake.dialog.answer = { canceled: false, filePaths: [ws('first')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await until(() => hosts[2].closed === 1);
    await settle();
    expect(hosts).toHaveLength(3);
    hosts[2].release();
    await until(() => hosts.length === 4);
    expect(hosts.map((h) => h.workspace)).toEqual([ws('first'), ws('second'), ws('third'), ws('first')]);
    expect(win.webContents.reloads).toBe(3);
    const reply = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'app.info', {})) as Reply;
    expect(reply.result?.workspace).toBe(ws('first'));
  });

  it('a workspace that cannot be opened is said, and the one before opens again', async () => {
    let refuse = false;
    const fake = await started({
      openHost: (workspace) => {
        if (refuse) {
          refuse = false;
          throw new Error('the folder is not writable');
        }
        const host = createStudioHost({ workspace, version: 't', host: 'electron' });
        hosts.push({ workspace, host, closed: 0, release: () => undefined, gate: null });
        return host;
      },
    });
    refuse = true;
    fake.dialog.answer = { canceled: false, filePaths: [join(base, 'locked')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await until(() => hosts.length === 2);
    expect(fake.dialog.errors).toEqual([{ title: 'Could not open the workspace', content: 'the folder is not writable' }]);
    const reply = (await fake.ipcMain.invoke(IPC_CALL, 'studio://app/index.html', true, 'app.info', {})) as Reply;
    expect(reply.result?.workspace).toBe(join(base, 'first'));
  });
});

describe('quitting', () => {
  it('quits only once the open host, and one closing for a workspace change, have closed their runs; a change under way opens nothing more', async () => {
    holdCloses = true;
    const fake = await started();
    fake.dialog.answer = { canceled: false, filePaths: [join(base, 'second')] };
    await click(fake.Menu.applicationMenu, 'Change Workspace…');
    await settle();
    expect(fake.app.tryQuit()).toBe(false);
    await settle();
    expect(fake.app.quits).toBe(0);
    hosts[0].release();
    await until(() => fake.app.quits === 1);
    expect(hosts).toHaveLength(1);
    // The quit that follows goes through.
    expect(fake.app.tryQuit()).toBe(true);
  });

  it('waits for the open host to close its runs', async () => {
    holdCloses = true;
    const fake = await started();
    expect(fake.app.tryQuit()).toBe(false);
    await settle();
    expect(hosts[0].closed).toBe(1);
    expect(fake.app.quits).toBe(0);
    hosts[0].release();
    await until(() => fake.app.quits === 1);
  });
});
