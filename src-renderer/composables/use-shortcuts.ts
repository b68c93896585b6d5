// Global keyboard shortcuts: a small registry (one handler per key combination), per-section primary actions, window binding.
import { onBeforeUnmount, onMounted } from 'vue';

/** The parts of a keyboard event the registry reads (a plain object in tests). */
export interface KeyLike {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly shiftKey?: boolean;
  readonly target?: unknown;
  preventDefault?(): void;
}

/** One shortcut as registered and as the help overlay lists it. */
export interface Shortcut {
  /** 'Ctrl+Enter', '?', '1', 'Escape' (comboOf's spelling; Cmd counts as Ctrl). */
  readonly combo: string;
  readonly description: string;
  /** Heading the help overlay lists it under. */
  readonly group: string;
  run(): void;
  /** Only while this holds (else the key goes on to whatever else listens). */
  when?(): boolean;
  /** Also while the focus is in a text field or select (plain keys there are typing). */
  readonly inFields?: boolean;
}

/** The combination an event stands for. Shift is implied by printable keys ('?' is Shift+/), so only named keys carry it. */
export function comboOf(e: KeyLike): string {
  const named = e.key.length > 1;
  const mods = [e.ctrlKey || e.metaKey ? 'Ctrl' : '', e.altKey ? 'Alt' : '', named && e.shiftKey ? 'Shift' : ''].filter(Boolean);
  const key = named ? e.key : e.key.toLowerCase();
  return [...mods, key === ' ' ? 'Space' : key].join('+');
}

/** True while the focus is somewhere keys are typed: a text input, a text area, a select, editable content. */
export function isTyping(target: unknown): boolean {
  const el = target as { tagName?: string; type?: string; isContentEditable?: boolean } | null;
  if (!el?.tagName) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  return tag === 'INPUT' && !['button', 'checkbox', 'radio', 'range', 'submit', 'reset'].includes(el.type ?? 'text');
}

/** A registry of shortcuts and of the primary action (Ctrl+Enter) each section may offer. */
export interface ShortcutRegistry {
  /** Adds a shortcut; a combination registered twice throws. Returns the function that removes it. */
  register(s: Shortcut): () => void;
  /** Offers a section's primary action; returns the function that withdraws it. */
  setPrimary(section: string, run: () => void): () => void;
  /** Runs the section's primary action; false if it offers none. */
  runPrimary(section: string): boolean;
  /** Handles a key: runs the matching shortcut, prevents the default, and says whether it did. */
  handle(e: KeyLike): boolean;
  /** Every registered shortcut, in registration order. */
  list(): readonly Shortcut[];
}

/** A fresh, empty registry. */
export function createShortcutRegistry(): ShortcutRegistry {
  const byCombo = new Map<string, Shortcut>();
  const primary = new Map<string, () => void>();
  return {
    register(s) {
      if (byCombo.has(s.combo)) throw new Error(`shortcut ${s.combo} is registered twice`);
      byCombo.set(s.combo, s);
      return () => {
        if (byCombo.get(s.combo) === s) byCombo.delete(s.combo);
      };
    },
    setPrimary(section, run) {
      primary.set(section, run);
      return () => {
        if (primary.get(section) === run) primary.delete(section);
      };
    },
    runPrimary(section) {
      const run = primary.get(section);
      run?.();
      return run !== undefined;
    },
    handle(e) {
      const s = byCombo.get(comboOf(e));
      if (!s || (!s.inFields && isTyping(e.target)) || (s.when && !s.when())) return false;
      e.preventDefault?.();
      s.run();
      return true;
    },
    list: () => [...byCombo.values()],
  };
}

/** Binds a registry to the window's keydown for the life of the calling component. */
export function useShortcuts(registry: ShortcutRegistry = createShortcutRegistry()): ShortcutRegistry {
  const onKey = (e: KeyboardEvent) => {
    if (!e.defaultPrevented && !e.isComposing) registry.handle(e);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
  return registry;
}
