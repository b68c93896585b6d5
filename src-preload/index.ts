// The preload script: exposes the typed API bridge as window.studio (and a picked file's path) and nothing more.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';

// A picked file's path, so that a large file is read where it lies rather than sent over IPC (Electron no longer sets File.path).
contextBridge.exposeInMainWorld('studio', { ...createBridge(ipcRenderer), pathForFile: (file: Blob) => webUtils.getPathForFile(file as File) });
