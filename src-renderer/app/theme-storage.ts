// Reads and writes the user's theme choice in localStorage, tolerating storage that is missing or blocked.

/** A theme the user can pick. */
export type Theme = 'light' | 'dark';

const THEME_KEY = 'studio.theme';

/** The stored choice, or null when the user has not picked one (the system's preference applies). */
export function loadThemeChoice(): Theme | null {
  try {
    const value = globalThis.localStorage?.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/** Stores the choice; null forgets it. */
export function saveThemeChoice(theme: Theme | null): void {
  try {
    if (theme === null) globalThis.localStorage?.removeItem(THEME_KEY);
    else globalThis.localStorage?.setItem(THEME_KEY, theme);
  } catch {
    // storage may be disabled (private mode, policy); the choice then lasts for this page only
  }
}
