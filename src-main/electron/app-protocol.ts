// Serves the built renderer under studio://app/ instead of file://, with the strict CSP on every response.
import { protocol, net } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../server/static-files';

/** The scheme and origin of the studio's own pages. */
export const APP_SCHEME = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Must run before the app is ready: lets the scheme behave like https (fetch, CSP, storage). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Answers studio://app/<path> from the renderer folder; nothing outside it. */
export function serveAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const relative = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    const file = join(rendererRoot, relative);
    if (url.host !== 'app' || !file.startsWith(rendererRoot + sep)) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}
