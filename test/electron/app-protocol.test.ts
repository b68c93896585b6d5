// studio://app/ serves files under the renderer folder only, each response with the CSP; the page's CSP meta says the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_SCHEME, registerAppScheme, serveAppProtocol } from '../../src-main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src-main/server/static-files';
import { FakeNet, FakeProtocol } from './fakes';

let base: string;
let root: string;
let protocol: FakeProtocol;
let net: FakeNet;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'studio-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>studio</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(base, 'secret.txt'), 'outside');
  await mkdir(join(base, 'renderer-evil'));
  await writeFile(join(base, 'renderer-evil', 'index.html'), 'sibling with the same prefix');
  await symlink(join(base, 'secret.txt'), join(root, 'link.txt'));
  protocol = new FakeProtocol();
  net = new FakeNet();
  serveAppProtocol({ protocol, net }, root);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Every file the handler asked net to read lies under the renderer folder. */
function fetchedOnlyUnderRoot(): void {
  for (const url of net.fetched) expect(fileURLToPath(url).startsWith(root + sep), url).toBe(true);
}

describe('studio:// protocol', () => {
  it('registers studio as a standard, secure, fetchable scheme with no CSP bypass or service workers', () => {
    const registered = new FakeProtocol();
    registerAppScheme({ protocol: registered });
    expect(registered.privileged).toEqual([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer files, index.html for the root, with the CSP header', async () => {
    for (const [url, body] of [
      ['studio://app/', '<!doctype html><title>studio</title>'],
      ['studio://app/index.html', '<!doctype html><title>studio</title>'],
      ['studio://app/assets/app.js', 'console.log(1)'],
      ['studio://APP/assets/app.js?v=2#x', 'console.log(1)'],
    ]) {
      const response = await protocol.request(url);
      expect(response.status, url).toBe(200);
      expect(await response.text(), url).toBe(body);
      expect(response.headers.get('Content-Security-Policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(net.fetched.at(-1)).toBe(`file://${join(root, 'assets', 'app.js')}`);
    fetchedOnlyUnderRoot();
  });

  it('answers 404 for what is not a file under the folder, still with the CSP', async () => {
    for (const url of ['studio://app/missing.js', 'studio://app/assets/', 'studio://app/assets']) {
      const response = await protocol.request(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses path escapes: .., encoded dots and slashes, backslashes, absolute paths, drives, NUL, links out', async () => {
    const before = net.fetched.length;
    for (const url of [
      'studio://app/..%2fsecret.txt',
      'studio://app/%2e%2e%2fsecret.txt',
      'studio://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'studio://app/%2E%2E%2frenderer-evil/index.html',
      'studio://app/..%2frenderer-evil%2findex.html',
      'studio://app/.%2findex.html',
      'studio://app/..%5csecret.txt',
      'studio://app//etc/passwd',
      'studio://app/%2fetc%2fpasswd',
      `studio://app/${encodeURIComponent(join(base, 'secret.txt'))}`,
      'studio://app/C:%5cWindows%5cwin.ini',
      'studio://app/C:/Windows/win.ini',
      'studio://app/index.html%00.js',
      'studio://app/%E0%A4%A',
      'studio://app/link.txt',
    ]) {
      const response = await protocol.request(url);
      expect(response.status, url).toBe(403);
      expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    // The one link is read (stat) but never fetched; nothing else reached net at all.
    expect(net.fetched.length).toBe(before);
  });

  it('resolves plain dot segments in the URL itself, so they cannot climb out', async () => {
    // The URL parser turns /../ and /%2e%2e/ into nothing before the handler sees the path.
    for (const url of ['studio://app/../secret.txt', 'studio://app/%2e%2e/secret.txt', 'studio://app/assets/../../secret.txt']) {
      expect((await protocol.request(url)).status, url).toBe(404);
    }
    fetchedOnlyUnderRoot();
  });

  it('refuses other hosts, look-alikes of the studio origin included', async () => {
    for (const url of ['studio://apple/index.html', 'studio://app.evil/index.html', 'studio://app@evil/index.html', 'studio://evil/index.html', 'studio://app:1/index.html']) {
      expect((await protocol.request(url)).status, url).toBe(403);
    }
  });
});

/** A CSP as directive -> sorted sources. */
function directives(policy: string): Map<string, string> {
  const entries = policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0] !== '');
  return new Map(entries.map(([name, ...sources]) => [name, sources.sort().join(' ')]));
}

describe('Content-Security-Policy', () => {
  const header = directives(CONTENT_SECURITY_POLICY);

  it('allows scripts from the studio only, no eval, no inline script, no plugins, no framing', () => {
    expect(header.get('default-src')).toBe("'self'");
    expect(header.get('script-src')).toBe("'self'");
    expect(header.get('object-src')).toBe("'none'");
    expect(header.get('base-uri')).toBe("'none'");
    expect(header.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });

  it("index.html carries the same policy as a meta tag (frame-ancestors aside: a meta tag cannot set it)", () => {
    const html = readFileSync('src-renderer/index.html', 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta).not.toBeNull();
    const fromMeta = directives(meta![1]);
    const expected = new Map(header);
    expected.delete('frame-ancestors');
    expect(fromMeta).toEqual(expected);
  });
});
