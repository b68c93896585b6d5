// The Electron main process, kept thin: hands Electron's objects and the built files' places to the app's lifecycle.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, net, Notification, protocol, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudioHost } from '../services/studio-host';
import { defaultWorkspace } from '../workspace/default-workspace';
import { STUDIO_VERSION } from '../version';
import { startStudioApp } from './studio-app';

const here = dirname(fileURLToPath(import.meta.url));

startStudioApp<Menu, BrowserWindow>(
  { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, net, Notification, protocol, session, shell },
  {
    platform: process.platform,
    preloadPath: join(here, '../preload/index.cjs'),
    rendererRoot: join(here, '../renderer'),
    // In development electron-vite serves the renderer over http; the packaged app uses studio://app.
    devUrl: process.env.ELECTRON_RENDERER_URL,
    workspace: defaultWorkspace(),
    settingsDir: app.getPath('userData'),
    // a folder named in the environment is used as is; otherwise the person's own choice, asked on the first start
    pickWorkspace: !process.env.DIFFUSION_STUDIO_WORKSPACE,
    // files the app was started with (a double-click on a .onnx, .npy or .csv file, or named on the command line)
    argv: process.argv,
    cwd: process.cwd(),
    defaultApp: process.defaultApp === true,
    openHost: (workspace, openedPath) => createStudioHost({ workspace, version: STUDIO_VERSION, host: 'electron', openedPath }),
  },
);
