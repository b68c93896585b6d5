// Serves the built renderer under studio://app/ instead of file://, with the strict CSP on every response.
import type { CustomScheme } from 'electron';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../server/static-files';
import { isStudioUrl } from './studio-url';

/** The scheme and origin of the studio's own pages. */
export const APP_SCHEME = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** The scheme behaves like https (origin, storage, CSP) and may be fetched; it gets no CSP bypass and no service workers. */
const APP_SCHEME_PRIVILEGES: NonNullable<CustomScheme['privileges']> = { standard: true, secure: true, supportFetchAPI: true };

/** What the protocol needs from Electron (protocol and net, or fakes of them). */
export interface AppProtocolElectron {
  readonly protocol: {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  readonly net: { fetch(url: string): Promise<Response> };
}

/** Must run before the app is ready: lets the scheme behave like https (fetch, CSP, storage). */
export function registerAppScheme(electron: Pick<AppProtocolElectron, 'protocol'>): void {
  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
}

/** Answers studio://app/<path> with a file under the renderer folder; any other URL is refused, a missing file is 404. */
export function serveAppProtocol(electron: AppProtocolElectron, rendererRoot: string): void {
  electron.protocol.handle(APP_SCHEME, async (request) => {
    const found = await rendererFile(rendererRoot, request.url);
    if (typeof found === 'number') return answer(new Response(null, { status: found }));
    try {
      return answer(await electron.net.fetch(pathToFileURL(found).toString()));
    } catch {
      return answer(new Response(null, { status: 404 }));
    }
  });
}

function answer(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return new Response(response.body, { status: response.status, headers });
}

/**
 * The file a studio URL names, or the status that refuses it: 403 for another origin or a path that tries to leave
 * the folder (a '..' or '.' segment, percent-encoded or not, a backslash, a drive or NUL, an absolute path), 404 for
 * what is not a file. A file reached through a link that points outside the folder is refused as well.
 */
async function rendererFile(root: string, url: string): Promise<string | 403 | 404> {
  if (!isStudioUrl(url, APP_ORIGIN)) return 403;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return 403;
  }
  if (path === '' || path === '/') path = '/index.html';
  if (!path.startsWith('/') || path.startsWith('//')) return 403;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '..' || s === '.' || /[\\:\0]/.test(s))) return 403;
  const file = join(root, ...segments);
  if (!inside(root, file)) return 403;
  try {
    if (!(await stat(file)).isFile()) return 404;
    if (!inside(await realpath(root), await realpath(file))) return 403;
  } catch {
    return 404;
  }
  return file;
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}
