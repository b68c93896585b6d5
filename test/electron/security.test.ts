// The security rules every web contents gets: navigation and redirects stay on the studio origin, no windows, no webviews, no permissions.
import { beforeEach, describe, expect, it } from 'vitest';
import { applySecurity } from '../../src-main/electron/security';
import { FakeApp, FakeEvent, FakeSession, FakeShell, FakeWebContents, settle } from './fakes';

const STUDIO = 'studio://app';
/** URLs that share the studio's prefix, its letters or its host name, but not its origin. */
const LOOK_ALIKES = ['studio://apple/index.html', 'studio://app.evil/index.html', 'studio://app@evil/index.html', 'studio://app:1/index.html'];

describe('security rules', () => {
  let app: FakeApp;
  let session: FakeSession;
  let shell: FakeShell;
  let contents: FakeWebContents;

  beforeEach(() => {
    app = new FakeApp();
    session = new FakeSession();
    shell = new FakeShell();
    applySecurity({ app, session: { defaultSession: session }, shell }, STUDIO);
    contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
  });

  for (const event of ['will-navigate', 'will-redirect'] as const) {
    it(`${event}: stays on the studio origin, compared exactly`, () => {
      expect(contents.tryNavigation(event, 'studio://app/index.html')).toBe(true);
      expect(contents.tryNavigation(event, 'studio://APP/index.html')).toBe(true);
      for (const url of [...LOOK_ALIKES, 'https://evil.example/', 'http://localhost:5173/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank']) {
        expect(contents.tryNavigation(event, url), url).toBe(false);
      }
    });
  }

  it('guards every web contents created, not only the first', () => {
    const other = new FakeWebContents();
    app.emit('web-contents-created', {}, other);
    expect(other.tryNavigation('will-navigate', 'studio://apple/')).toBe(false);
    expect(other.tryOpenWindow('studio://app/index.html')).toEqual({ action: 'deny' });
  });

  it('denies every new window; https links go to the browser, other schemes nowhere', async () => {
    for (const url of ['https://arxiv.org/abs/2011.13456', 'studio://app/index.html', ...LOOK_ALIKES, 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'about:blank']) {
      expect(contents.tryOpenWindow(url), url).toEqual({ action: 'deny' });
    }
    await settle();
    expect(shell.external).toEqual(['https://arxiv.org/abs/2011.13456']);
  });

  it('a browser that will not open does not throw out of the handler', async () => {
    shell.openExternal = () => Promise.reject(new Error('no browser'));
    expect(contents.tryOpenWindow('https://example.com/')).toEqual({ action: 'deny' });
    await settle();
  });

  it('prevents every webview from attaching', () => {
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.prevented).toBe(true);
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown']) {
      const answers: boolean[] = [];
      session.requestHandler!(contents, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(session.checkHandler!(contents, permission), permission).toBe(false);
    }
  });
});
