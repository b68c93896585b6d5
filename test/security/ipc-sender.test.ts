// The Electron IPC handler answers only the studio's own top-level page.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioHost } from '../../src-main/services/studio-host';
import { registerIpc } from '../../src-main/electron/ipc';
import { isStudioUrl } from '../../src-main/electron/studio-url';
import { createBridge } from '../../src-preload/bridge';
import { FakeIpc } from '../contract/fake-ipc';

describe('IPC sender check', () => {
  it('serves the studio page and refuses other pages and subframes', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-ipc-'));
    const studio = createStudioHost({ workspace, version: 't', host: 'electron' });
    const ipc = new FakeIpc('studio://app/index.html');
    registerIpc(ipc.main, studio, ipc.webContents, (url, isMainFrame) => isMainFrame && isStudioUrl(url, 'studio://app'));
    const bridge = createBridge(ipc.renderer);

    expect((await bridge.invoke('app.info', {})).ok).toBe(true);
    for (const [url, top] of [['https://evil.example/', true], ['studio://app.evil/x', true], ['studio://app/index.html', false]] as const) {
      ipc.frameUrl = url;
      ipc.isTop = top;
      const reply = await bridge.invoke('app.info', {});
      expect(reply).toEqual({ ok: false, error: { code: 'invalid-message', message: expect.stringMatching(/studio page/) } });
    }
    await rm(workspace, { recursive: true, force: true });
  });

  it('matches the studio origin exactly', () => {
    expect(isStudioUrl('studio://app/index.html', 'studio://app')).toBe(true);
    expect(isStudioUrl('studio://app', 'studio://app')).toBe(true);
    expect(isStudioUrl('studio://apple/index.html', 'studio://app')).toBe(false);
    expect(isStudioUrl(undefined, 'studio://app')).toBe(false);
  });
});
