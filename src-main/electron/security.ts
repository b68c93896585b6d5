// Hardens every web contents: no new windows, no navigation or redirect off the studio's origin, no permissions, no webviews.
import type { WindowOpenHandlerResponse } from 'electron';
import { isExternalWebLink, isStudioUrl } from './studio-url';

/** A navigation about to happen: where to, and the means to stop it. */
interface NavigationEvent {
  readonly url: string;
  preventDefault(): void;
}

/** The part of a web contents the guards attach to. */
interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** The session methods that decide permissions. */
interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/** What the security rules need from Electron (app, session and shell, or fakes of them). */
export interface SecurityElectron {
  readonly app: { on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown };
  readonly session: { readonly defaultSession: PermissionSession };
  readonly shell: { openExternal(url: string): Promise<void> };
}

/** Applies the studio's security rules once the app is ready; allowedOrigin is the only origin its pages may have. */
export function applySecurity(electron: SecurityElectron, allowedOrigin: string): void {
  const { defaultSession } = electron.session;
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  electron.app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web open in the user's browser, never inside the studio; nothing else opens at all.
      if (isExternalWebLink(url)) electron.shell.openExternal(url).catch(() => undefined);
      return { action: 'deny' };
    });
    const stayHome = (event: NavigationEvent): void => {
      if (!isStudioUrl(event.url, allowedOrigin)) event.preventDefault();
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
