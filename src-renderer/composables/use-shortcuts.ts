// Keyboard shortcuts: one registry for the whole studio (keys listed by section, handlers bound while a section is on screen), window binding.
import { onBeforeUnmount, onMounted } from 'vue';

/** The parts of a keyboard event the registry reads (a plain object in tests). */
interface KeyLike {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly shiftKey?: boolean;
  readonly target?: unknown;
  preventDefault?(): void;
}

/** A key as the help overlay lists it. */
export interface KeySpec {
  /** 'Ctrl+Enter', '?', '1', 'Escape', 'Space', 'ArrowRight' (comboOf's spelling; Cmd counts as Ctrl). */
  readonly combo: string;
  readonly description: string;
  /** Heading the help overlay lists it under: the section's label, or 'Sections' and 'Help' for the studio's own. */
  readonly group: string;
  /** Also while the focus is in a text field or select (plain keys there are typing). */
  readonly inFields?: boolean;
}

/** One shortcut as registered: a listed key and what it does. */
interface Shortcut extends KeySpec {
  run(): void;
  /** Only while this holds (else the key goes on to an older shortcut of the same combination, or to the page). */
  when?(): boolean;
}

/**
 * The combination an event stands for. Shift is implied by printable keys ('?' is Shift+/), so only named keys and
 * letters with Ctrl or Alt carry it ('Ctrl+Shift+z' redoes where 'Ctrl+z' undoes).
 */
export function comboOf(e: KeyLike): string {
  const named = e.key.length > 1;
  const ctrl = Boolean(e.ctrlKey || e.metaKey);
  const letter = /^[a-z]$/i.test(e.key);
  const mods = [ctrl ? 'Ctrl' : '', e.altKey ? 'Alt' : '', e.shiftKey && (named || (letter && (ctrl || e.altKey))) ? 'Shift' : ''].filter(Boolean);
  const key = named ? e.key : e.key.toLowerCase();
  return [...mods, key === ' ' ? 'Space' : key].join('+');
}

type Target = { tagName?: string; type?: string; isContentEditable?: boolean } | null;

/** True while the focus is somewhere keys are typed: a text input, a text area, a select, editable content. */
export function isTyping(target: unknown): boolean {
  const el = target as Target;
  if (!el?.tagName) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  return tag === 'INPUT' && !['button', 'checkbox', 'radio', 'range', 'submit', 'reset'].includes(el.type ?? 'text');
}

/** Keys a focused slider moves itself by. */
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * True if the focused control uses this key itself: every key in a text field, the arrows on a slider, Enter on a
 * button and Space on a checkbox or radio button. A button's Space goes to a shortcut: Enter still clicks it.
 */
export function controlKeepsKey(target: unknown, combo: string): boolean {
  if (isTyping(target)) return true;
  const el = target as Target;
  const tag = el?.tagName?.toUpperCase() ?? '';
  if (tag === 'INPUT' && el?.type === 'range') return SLIDER_KEYS.has(combo);
  if (tag === 'INPUT' && (el?.type === 'checkbox' || el?.type === 'radio')) return combo === 'Space';
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || (tag === 'INPUT' && ['button', 'submit', 'reset'].includes(el?.type ?? ''))) return combo === 'Enter';
  return false;
}

/** The studio's shortcuts: keys listed for the help overlay, and handlers bound to them. */
interface ShortcutRegistry {
  /** Lists keys without binding them (a section's keys, listed whether or not the section is on screen). */
  declare(keys: readonly KeySpec[]): void;
  /**
   * Binds a shortcut (and lists its key); a combination bound twice in one group throws. Across groups the newest
   * binding whose condition holds wins. Returns the function that unbinds it.
   */
  register(s: Shortcut): () => void;
  /** Handles a key: runs the matching shortcut, prevents the default, and says whether it did. */
  handle(e: KeyLike): boolean;
  /** Every listed key: those declared, then those bound and not declared, each group and combination once. */
  list(): readonly KeySpec[];
}

const idOf = (k: KeySpec) => `${k.group}\u0000${k.combo}`;

/** A fresh, empty registry. */
export function createShortcutRegistry(): ShortcutRegistry {
  const declared = new Map<string, KeySpec>();
  const bound: Shortcut[] = [];
  return {
    declare(keys) {
      for (const k of keys) if (!declared.has(idOf(k))) declared.set(idOf(k), { combo: k.combo, description: k.description, group: k.group, ...(k.inFields ? { inFields: true } : {}) });
    },
    register(s) {
      if (bound.some((b) => idOf(b) === idOf(s))) throw new Error(`shortcut ${s.combo} of ${s.group} is registered twice`);
      bound.push(s);
      return () => {
        const at = bound.indexOf(s);
        if (at >= 0) bound.splice(at, 1);
      };
    },
    handle(e) {
      const combo = comboOf(e);
      for (let i = bound.length - 1; i >= 0; i--) {
        const s = bound[i];
        if (s.combo !== combo || (!s.inFields && controlKeepsKey(e.target, combo)) || (s.when && !s.when())) continue;
        e.preventDefault?.();
        s.run();
        return true;
      }
      return false;
    },
    list() {
      const out = new Map(declared);
      for (const s of bound) if (!out.has(idOf(s))) out.set(idOf(s), { combo: s.combo, description: s.description, group: s.group });
      return [...out.values()];
    },
  };
}

/** The studio's one registry: sections declare and bind their keys here, the help overlay lists it. */
export const studioShortcuts: ShortcutRegistry = createShortcutRegistry();

/** Binds a shortcut while the calling component is mounted. */
export function useShortcut(s: Shortcut, registry: ShortcutRegistry = studioShortcuts): void {
  let off: (() => void) | null = null;
  onMounted(() => (off = registry.register(s)));
  onBeforeUnmount(() => off?.());
}

/** Sends the window's key presses to the registry for the life of the calling component (the shell calls it once). */
export function useShortcutKeys(registry: ShortcutRegistry = studioShortcuts): ShortcutRegistry {
  const onKey = (e: KeyboardEvent) => {
    if (!e.defaultPrevented && !e.isComposing) registry.handle(e);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
  return registry;
}
