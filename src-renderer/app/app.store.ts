// App-wide state: the connection to the studio, what 'app.info' reports, and the colour theme.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef } from 'vue';
import type { Result } from '../../src-core/api/contract';
import type { StudioApi } from '../../src-core/api/studio-api';
import type { Connection } from '../api/connect';
import { loadThemeChoice, saveThemeChoice, type Theme } from './theme-storage';
import { messageOf } from '../../src-core/errors';

/** Where the connection stands. */
export type ConnectionState = 'connecting' | 'connected' | 'failed' | 'lost';

/** What 'app.info' returns. */
type AppInfo = Result<'app.info'>;

export const useAppStore = defineStore('app', () => {
  const connection = ref<ConnectionState>('connecting');
  const connectionError = ref<string | null>(null);
  const api = shallowRef<StudioApi | null>(null);
  const info = ref<AppInfo | null>(null);
  const infoError = ref<string | null>(null);
  const themeChoice = ref<Theme | null>(loadThemeChoice());
  const systemTheme = ref<Theme>('light');

  const theme = computed<Theme>(() => themeChoice.value ?? systemTheme.value);

  /** Opens the API with the given opener, then loads the app's info; failures land in connectionError. */
  async function connect(open: () => Promise<Connection>): Promise<void> {
    connection.value = 'connecting';
    connectionError.value = null;
    let conn: Connection;
    try {
      conn = await open();
    } catch (err) {
      connection.value = 'failed';
      connectionError.value = messageOf(err);
      return;
    }
    api.value = markRaw(conn.api);
    connection.value = 'connected';
    void conn.lost.then((reason) => {
      connection.value = 'lost';
      connectionError.value = reason;
    });
    await loadInfo();
  }

  /** Asks the studio for its name, version and workspace. */
  async function loadInfo(): Promise<void> {
    if (!api.value) return;
    try {
      info.value = await api.value.call('app.info', {});
      infoError.value = null;
    } catch (err) {
      infoError.value = messageOf(err);
    }
  }

  /** Picks a theme explicitly (remembered across sessions). */
  function setTheme(next: Theme): void {
    themeChoice.value = next;
    saveThemeChoice(next);
  }

  /** Switches to the other theme. */
  function toggleTheme(): void {
    setTheme(theme.value === 'dark' ? 'light' : 'dark');
  }

  /** Records the operating system's preference (used until the user picks). */
  function setSystemTheme(next: Theme): void {
    systemTheme.value = next;
  }

  return {
    connection: readonly(connection),
    connectionError: readonly(connectionError),
    api: computed(() => api.value),
    info: readonly(info),
    infoError: readonly(infoError),
    themeChoice: readonly(themeChoice),
    theme,
    connect,
    loadInfo,
    setTheme,
    toggleTheme,
    setSystemTheme,
  };
});
