// Small typed stand-ins for Electron's main-process objects that record what the studio asks of them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  OpenDialogOptions,
  OpenDialogReturnValue,
  WindowOpenHandlerResponse,
} from 'electron';
import type { StudioElectron } from '../../src-main/electron/studio-app';

type AnyListener = (...args: never[]) => unknown;

/** A minimal event emitter whose emit says how many listeners ran. */
class FakeEmitter {
  private readonly listeners = new Map<string, AnyListener[]>();

  on(event: string, listener: AnyListener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: AnyListener): this {
    const wrapper = (...args: never[]): unknown => {
      this.off(event, wrapper);
      return listener(...args);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: AnyListener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  emit(event: string, ...args: unknown[]): number {
    const listeners = this.listeners.get(event) ?? [];
    for (const listener of listeners) (listener as (...a: unknown[]) => unknown)(...args);
    return listeners.length;
  }
}

/** A navigation or attach event: prevented is true once a listener called preventDefault. */
export class FakeEvent {
  prevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.prevented = true;
  }
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => WindowOpenHandlerResponse) | null = null;
  readonly sent: unknown[][] = [];
  reloads = 0;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  reload(): void {
    this.reloads++;
  }

  /** Emits a navigation-like event (will-navigate, will-redirect) and says whether a guard stopped it. */
  tryNavigation(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const e = new FakeEvent(url);
    if (this.emit(event, e) === 0) throw new Error(`nothing listens to ${event}`);
    return !e.prevented;
  }

  /** Asks the window-open handler as window.open or a target=_blank link would. */
  tryOpenWindow(url: string): WindowOpenHandlerResponse {
    if (!this.windowOpenHandler) throw new Error('no window-open handler set');
    return this.windowOpenHandler({ url });
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  shown = false;
  focused = false;
  minimized = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused = true;
  }
  show(): void {
    this.shown = true;
  }
  /** Closes the window as the user would: 'closed' fires. */
  close(): void {
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeApp extends FakeEmitter {
  hasLock = true;
  quits = 0;
  /** What the OS's recent-documents list was given. */
  readonly recentDocuments: string[] = [];
  private open: () => void = () => undefined;
  private readonly readyGate = new Promise<void>((resolve) => (this.open = resolve));

  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  quit(): void {
    this.quits++;
  }
  whenReady(): Promise<void> {
    return this.readyGate;
  }
  addRecentDocument(path: string): void {
    this.recentDocuments.push(path);
  }
  /** Lets whenReady resolve, as Electron does once it has started. */
  becomeReady(): void {
    this.open();
  }
  /** Emits 'before-quit' and says whether a listener held the quit back. */
  tryQuit(): boolean {
    const e = new FakeEvent();
    this.emit('before-quit', e);
    return !e.prevented;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;

export class FakeSession {
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: ((contents: unknown, permission: string) => boolean) | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
    this.checkHandler = handler;
  }
}

export class FakeProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();

  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`scheme ${scheme} handled twice`);
    this.handlers.set(scheme, handler);
  }
  /** Sends a request to the handler of the URL's scheme, as the renderer's loader would. */
  request(url: string): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`no handler for ${url}`);
    // Node's Request refuses URLs with user info, which the handler must still see: those get a bare stand-in.
    const request = new URL(url).username ? ({ url, method: 'GET' } as Request) : new Request(url);
    return handler(request);
  }
}

/** net.fetch for file: URLs only, read from disk; every URL asked for is recorded. */
export class FakeNet {
  readonly fetched: string[] = [];

  async fetch(url: string): Promise<Response> {
    this.fetched.push(url);
    if (!url.startsWith('file:')) throw new Error(`the fake net fetches file: URLs only, not ${url}`);
    const type = url.endsWith('.html') ? 'text/html' : url.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
    return new Response(await readFile(fileURLToPath(url)), { headers: { 'Content-Type': type } });
  }
}

export class FakeMenu {
  constructor(readonly template: MenuItemConstructorOptions[]) {}
}

export class FakeMenuModule {
  applicationMenu: FakeMenu | null = null;

  buildFromTemplate(template: MenuItemConstructorOptions[]): FakeMenu {
    return new FakeMenu(template);
  }
  setApplicationMenu(menu: FakeMenu): void {
    this.applicationMenu = menu;
  }
}

export class FakeShell {
  readonly external: string[] = [];
  readonly paths: string[] = [];
  /** What openPath answers (Electron answers an error message, '' on success). */
  openPathAnswer = '';

  openExternal(url: string): Promise<void> {
    this.external.push(url);
    return Promise.resolve();
  }
  openPath(path: string): Promise<string> {
    this.paths.push(path);
    return Promise.resolve(this.openPathAnswer);
  }
}

export class FakeDialog {
  readonly asked: { window: FakeBrowserWindow | null; options: OpenDialogOptions }[] = [];
  readonly errors: { title: string; content: string }[] = [];
  /** What the next open dialog answers. */
  answer: OpenDialogReturnValue = { canceled: true, filePaths: [] };

  showOpenDialog(window: FakeBrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(a: FakeBrowserWindow | OpenDialogOptions, b?: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    this.asked.push(a instanceof FakeBrowserWindow ? { window: a, options: b! } : { window: null, options: a });
    return Promise.resolve(this.answer);
  }
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  }
}

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** ipcMain's handle side; invoke plays a frame calling in, with the URL and top-ness the test chooses. */
class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls the channel's handler from a frame at frameUrl (null: the frame is gone), top frame or not. */
  async invoke(channel: string, frameUrl: string | null, isTop: boolean, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    let senderFrame: { url: string; top: unknown } | null = null;
    if (frameUrl !== null) {
      senderFrame = { url: frameUrl, top: null };
      senderFrame.top = isTop ? senderFrame : { url: 'studio://app/index.html' };
    }
    return handler({ senderFrame } as unknown as IpcMainInvokeEvent, ...args);
  }
}

/** Electron's Notification: each one made is kept, with whether it was shown and its click listener. */
export class FakeNotification {
  static readonly made: FakeNotification[] = [];
  static isSupported(): boolean {
    return true;
  }
  shown = false;
  private click: (() => void) | null = null;
  constructor(readonly options: { title: string; body: string }) {
    FakeNotification.made.push(this);
  }
  show(): void {
    this.shown = true;
  }
  on(_event: 'click', listener: () => void): this {
    this.click = listener;
    return this;
  }
  /** Clicks it, as a person does in the system's notification area. */
  clicked(): void {
    this.click?.();
  }
}

/** One fake of each Electron object the studio uses, plus the list of windows it made. */
export function fakeElectron() {
  const windows: FakeBrowserWindow[] = [];
  class BrowserWindow extends FakeBrowserWindow {
    constructor(options: BrowserWindowConstructorOptions) {
      super(options);
      windows.push(this);
    }
  }
  const electron = {
    app: new FakeApp(),
    BrowserWindow,
    dialog: new FakeDialog(),
    ipcMain: new FakeIpcMain(),
    Menu: new FakeMenuModule(),
    nativeTheme: { shouldUseDarkColors: false },
    net: new FakeNet(),
    Notification: FakeNotification,
    protocol: new FakeProtocol(),
    session: { defaultSession: new FakeSession() },
    shell: new FakeShell(),
  };
  // The fakes must fit the very interface main.ts hands the real Electron objects to.
  const typed: StudioElectron<FakeMenu, FakeBrowserWindow> = electron;
  return { ...electron, electron: typed, windows };
}

/** Lets pending promise callbacks and timers of zero delay run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
