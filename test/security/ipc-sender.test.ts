// The Electron IPC handler answers only the studio's own top-level page, by the same origin rule as the navigation guard.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioHost } from '../../src-main/services/studio-host';
import { registerIpc, studioTopFrame } from '../../src-main/electron/ipc';
import { applySecurity } from '../../src-main/electron/security';
import { createBridge } from '../../src-preload/bridge';
import { FakeIpc } from '../contract/fake-ipc';
import { FakeApp, FakeSession, FakeShell, FakeWebContents } from '../electron/fakes';

const STUDIO = 'studio://app';
const FOREIGN = [
  'https://evil.example/',
  'studio://apple/index.html',
  'studio://app.evil/x',
  'studio://app@evil/index.html',
  'studio://app:1/index.html',
  'file:///index.html',
  'about:blank',
];

describe('IPC sender check', () => {
  it('serves the studio page and refuses other origins and subframes', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-ipc-'));
    const studio = createStudioHost({ workspace, version: 't', host: 'electron' });
    const ipc = new FakeIpc('studio://app/index.html');
    registerIpc(ipc.main, studio, ipc.webContents, studioTopFrame(STUDIO));
    const bridge = createBridge(ipc.renderer);

    expect((await bridge.invoke('app.info', {})).ok).toBe(true);
    ipc.frameUrl = 'studio://APP/index.html';
    expect((await bridge.invoke('app.info', {})).ok).toBe(true);
    for (const [url, top] of [...FOREIGN.map((u) => [u, true] as const), ['studio://app/index.html', false] as const]) {
      ipc.frameUrl = url;
      ipc.isTop = top;
      const reply = await bridge.invoke('app.info', {});
      expect(reply, url).toEqual({ ok: false, error: { code: 'invalid-message', message: expect.stringMatching(/studio page/) } });
    }
    await studio.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('uses the same origin rule as the navigation guard', () => {
    const app = new FakeApp();
    applySecurity({ app, session: { defaultSession: new FakeSession() }, shell: new FakeShell() }, STUDIO);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    const trusted = studioTopFrame(STUDIO);
    for (const url of ['studio://app/index.html', 'studio://APP/', ...FOREIGN]) {
      expect(trusted(url, true), url).toBe(contents.tryNavigation('will-navigate', url));
    }
    expect(trusted(undefined, true)).toBe(false);
    expect(trusted('studio://app/index.html', false)).toBe(false);
  });
});
