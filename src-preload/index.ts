// The preload script: exposes the typed API bridge as window.studio and nothing more.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('studio', createBridge(ipcRenderer));
