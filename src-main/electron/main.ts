// The Electron main process, kept thin: window, menu, security, IPC wiring and a graceful quit.
import { app, BrowserWindow, ipcMain, nativeTheme } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudioHost, type StudioHost } from '../services/studio-host';
import { defaultWorkspace } from '../workspace/default-workspace';
import { STUDIO_VERSION } from '../version';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { applySecurity } from './security';
import { isStudioUrl } from './studio-url';

const here = dirname(fileURLToPath(import.meta.url));
// In development electron-vite serves the renderer over http; the packaged app uses studio://app.
const devUrl = process.env.ELECTRON_RENDERER_URL;
const pageOrigin = devUrl ? new URL(devUrl).origin : APP_ORIGIN;

let win: BrowserWindow | null = null;
let unregister: (() => void) | null = null;
let studio: StudioHost | undefined;
let quitting = false;

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

/** Carries the API of a host to the window's page (only the studio's own top-level page may call). */
function connect(w: BrowserWindow, host: StudioHost): () => void {
  return registerIpc(ipcMain, host, w.webContents, (url, isMainFrame) => isMainFrame && isStudioUrl(url, pageOrigin));
}

function createWindow(host: StudioHost): void {
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Diffusion Studio',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14161a' : '#f7f7f8',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  unregister = connect(win, host);
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    unregister?.();
    unregister = null;
    win = null;
  });
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

function useWorkspace(workspace: string): StudioHost {
  // The previous workspace's runs checkpoint and pause; its sampling processes end.
  void studio?.close();
  const host = createStudioHost({ workspace, version: STUDIO_VERSION, host: 'electron' });
  studio = host;
  installMenu(() => win, workspace, (dir) => {
    const next = useWorkspace(dir);
    if (win) {
      unregister?.();
      unregister = connect(win, next);
      win.webContents.reload();
    }
  });
  return host;
}

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.whenReady().then(() => {
  applySecurity(pageOrigin);
  serveAppProtocol(join(here, '../renderer'));
  useWorkspace(defaultWorkspace());
  if (studio) createWindow(studio);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && studio) createWindow(studio);
  });
});

// Graceful quit: training runs write a checkpoint and pause before the app goes.
app.on('before-quit', (event) => {
  if (quitting || !studio) return;
  event.preventDefault();
  quitting = true;
  void studio.close().finally(() => app.quit());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
