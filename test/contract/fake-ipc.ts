// An in-memory stand-in for Electron's ipcMain/ipcRenderer/webContents that copies every message by structured clone, as Electron does.
import type { IpcMain, IpcMainInvokeEvent, IpcRenderer, IpcRendererEvent, WebContents } from 'electron';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

/** One window's IPC: main side, renderer side and the window's webContents. */
export class FakeIpc {
  private readonly handlers = new Map<string, Handler>();
  private readonly listeners = new Map<string, Set<Listener>>();
  destroyed = false;

  /** frameUrl: the URL the calling frame reports; isTop: whether it is the top frame. */
  constructor(
    public frameUrl: string,
    public isTop = true,
  ) {}

  readonly main = {
    handle: (channel: string, handler: Handler) => {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => {
      this.handlers.delete(channel);
    },
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;

  readonly renderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const frame: { url: string; top: unknown } = { url: this.frameUrl, top: null };
      frame.top = this.isTop ? frame : {};
      const result = await handler({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...structuredClone(args));
      return structuredClone(result);
    },
    on: (channel: string, listener: Listener) => {
      let set = this.listeners.get(channel);
      if (!set) this.listeners.set(channel, (set = new Set()));
      set.add(listener);
      return this.renderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      this.listeners.get(channel)?.delete(listener);
      return this.renderer;
    },
  } as unknown as Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

  readonly webContents = {
    send: (channel: string, ...args: unknown[]) => {
      const copy = structuredClone(args);
      for (const listener of this.listeners.get(channel) ?? []) listener({} as IpcRendererEvent, ...copy);
    },
    isDestroyed: () => this.destroyed,
  } as unknown as Pick<WebContents, 'send' | 'isDestroyed'>;
}
