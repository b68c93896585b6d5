// Hardens every web contents: no new windows, no navigation away, no permissions, no webviews.
import { app, session, shell } from 'electron';

/** Applies the studio's security rules; allowedOrigin is the only origin its pages may have. */
export function applySecurity(allowedOrigin: string): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web open in the user's browser, never inside the studio.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(allowedOrigin)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

