// Tests of the app store: connecting, app info, a lost connection, and the theme choice.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { StudioError } from '../../src-core/errors';
import { FakeApi } from '../../test/support/fake-api';
import { useAppStore } from './app.store';

const INFO = { name: 'Diffusion Studio', version: '0.1.0', host: 'server' as const, platform: 'linux', workspace: '/tmp/w' };

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

describe('app store', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('connects and loads the app info', async () => {
    const api = new FakeApi().handle('app.info', () => INFO);
    const store = useAppStore();
    expect(store.connection).toBe('connecting');
    await store.connect(async () => ({ api, transport: 'websocket', lost: new Promise(() => {}) }));
    expect(store.connection).toBe('connected');
    expect(store.api).toBe(api);
    expect(store.info?.version).toBe('0.1.0');
  });

  it('a failed connection is reported with its message', async () => {
    const store = useAppStore();
    await store.connect(async () => {
      throw new StudioError('internal', 'connection refused (1006)');
    });
    expect(store.connection).toBe('failed');
    expect(store.connectionError).toBe('connection refused (1006)');
  });

  it('a dropped connection becomes lost', async () => {
    const api = new FakeApi().handle('app.info', () => INFO);
    let drop!: (reason: string) => void;
    const lost = new Promise<string>((r) => (drop = r));
    const store = useAppStore();
    await store.connect(async () => ({ api, transport: 'websocket', lost }));
    drop('closed (1001)');
    await lost;
    await Promise.resolve();
    expect(store.connection).toBe('lost');
    expect(store.connectionError).toBe('closed (1001)');
  });

  it('follows the system theme until the user picks, and remembers the pick', () => {
    const store = useAppStore();
    expect(store.theme).toBe('light');
    store.setSystemTheme('dark');
    expect(store.theme).toBe('dark');
    store.toggleTheme();
    expect(store.theme).toBe('light');
    store.setSystemTheme('dark');
    expect(store.theme).toBe('light');
    expect(localStorage.getItem('studio.theme')).toBe('light');
    setActivePinia(createPinia());
    expect(useAppStore().themeChoice).toBe('light');
  });
});
