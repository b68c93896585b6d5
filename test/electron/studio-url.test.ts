// The Electron layer's one origin rule: parsed origins compared exactly, and which links may leave for the browser.
import { describe, expect, it } from 'vitest';
import { isExternalWebLink, isStudioUrl, originOf } from '../../src-main/electron/studio-url';

const STUDIO = 'studio://app';

describe('origin rule', () => {
  it('accepts the studio origin and its pages', () => {
    for (const url of ['studio://app', 'studio://app/', 'studio://app/index.html', 'studio://app/assets/x.js?v=1#top']) {
      expect(isStudioUrl(url, STUDIO), url).toBe(true);
    }
  });

  it('refuses look-alikes that share the prefix but not the origin', () => {
    for (const url of [
      'studio://apple',
      'studio://apple/index.html',
      'studio://app.evil/index.html',
      'studio://app@evil/index.html', // user info "app", host "evil"
      'studio://app:8080/index.html',
      'studio://app./index.html',
      'studio:app/index.html',
      'studio:/app/index.html',
      'studio:\\\\app\\index.html',
      'https://app/index.html',
      'file:///app/index.html',
      'javascript:alert(1)',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isStudioUrl(url, STUDIO), url).toBe(false);
    }
    expect(isStudioUrl(undefined, STUDIO)).toBe(false);
  });

  it('folds the host case as Chromium does for a standard scheme: studio://APP is the studio origin', () => {
    expect(originOf('studio://APP/index.html')).toBe('studio://app');
    expect(isStudioUrl('studio://APP/index.html', STUDIO)).toBe(true);
    expect(isStudioUrl('STUDIO://app/index.html', STUDIO)).toBe(true);
    expect(isStudioUrl('studio://APP.evil/', STUDIO)).toBe(false);
  });

  it('compares http origins by scheme, host and port (the development server)', () => {
    const dev = 'http://localhost:5173';
    expect(isStudioUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isStudioUrl('http://LOCALHOST:5173/', dev)).toBe(true);
    expect(isStudioUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isStudioUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isStudioUrl('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isStudioUrl('http://localhost:5173@evil.example/', dev)).toBe(false);
  });

  it('has no origin for URLs without a host', () => {
    for (const url of ['file:///etc/passwd', 'about:blank', 'data:text/html,x', 'javascript:1', 'studio:x', 'nonsense']) {
      expect(originOf(url), url).toBeNull();
    }
  });

  it('lets only https links out to the browser', () => {
    expect(isExternalWebLink('https://arxiv.org/abs/2011.13456')).toBe(true);
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'studio://app/', 'mailto:x@y.z', 'https:', 'not a url', 'ms-settings:']) {
      expect(isExternalWebLink(url), url).toBe(false);
    }
  });
});
