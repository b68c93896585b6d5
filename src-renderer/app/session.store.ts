// Reopens the studio where it was left: the section shown and every part the features registered (schedule, Train form, data set, Sample settings...), kept in localStorage.
import { defineStore } from 'pinia';
import { readonly, ref, watch } from 'vue';
import { sessionParts, type BoundPart, type PartKey, type SessionPart } from './session-parts';
import { parseSnapshot, serializeSnapshot, SESSION_KEY, type SessionSnapshot } from './session-snapshot';

/** Writes wait this long so a drag or typing burst is stored once. */
const SAVE_DELAY_MS = 250;

const storage = (): Storage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};

export const useSessionStore = defineStore('session', () => {
  const started = ref(false);
  /** What was restored on start (for display and tests). */
  const restored = ref<SessionSnapshot>({});
  /** The registered parts bound to this Pinia's stores, on the first start. */
  let bound: { part: SessionPart; live: BoundPart<unknown> }[] | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastHash = '';
  const stops: (() => void)[] = [];

  const bindParts = () => (bound ??= sessionParts().map((part) => ({ part, live: part.bind() as BoundPart<unknown> })));

  /** The snapshot of the state now; parts still waiting to be restored keep their stored values. */
  function snapshot(): SessionSnapshot {
    noteHash();
    const hash = lastHash;
    const out: Record<string, unknown> = hash ? { hash } : {};
    for (const { part, live } of bindParts()) {
      const value = live.save();
      if (value !== undefined) out[part.key] = value;
    }
    return out as SessionSnapshot;
  }

  /** Writes the snapshot now (also on page hide, so a reload right after an edit keeps it). */
  function save(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!started.value) return;
    try {
      storage()?.setItem(SESSION_KEY, serializeSnapshot(snapshot()));
    } catch {
      // full or blocked storage: the session just is not remembered
    }
  }

  /** Remembers the hash now: a page whose hash was cleared still shows the section it showed last. */
  function noteHash(): void {
    if (globalThis.location?.hash) lastHash = globalThis.location.hash;
  }

  /** Saves after SAVE_DELAY_MS of quiet (the section is noted at once: the shell calls this right after switching). */
  function saveSoon(): void {
    if (!started.value) return;
    noteHash();
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  }

  /**
   * Restores the stored session into the stores and starts saving changes. Call once, before the shell reads the
   * location hash: with no hash of its own the page is sent to the saved section.
   */
  function start(): SessionSnapshot {
    if (started.value) return restored.value;
    let text: string | null = null;
    try {
      text = storage()?.getItem(SESSION_KEY) ?? null;
    } catch {
      text = null;
    }
    const s = parseSnapshot(text);
    restored.value = s;
    if (s.hash && globalThis.location && !globalThis.location.hash) globalThis.history?.replaceState(globalThis.history.state, '', s.hash);
    lastHash = globalThis.location?.hash || (s.hash ?? '');
    for (const { part, live } of bindParts()) {
      const value = (s as Record<PartKey, unknown>)[part.key];
      if (value !== undefined && !live.restore(value)) delete (restored.value as Record<PartKey, unknown>)[part.key];
    }
    started.value = true;

    for (const { live } of bindParts()) stops.push(...(live.follow?.() ?? []));
    stops.push(watch(() => bindParts().map(({ live }) => live.watched()), saveSoon, { deep: true }));
    globalThis.addEventListener?.('hashchange', saveSoon);
    globalThis.addEventListener?.('pagehide', save);
    return s;
  }

  /** Stops saving (tests, or a page being torn down). */
  function stop(): void {
    save();
    for (const off of stops.splice(0)) off();
    globalThis.removeEventListener?.('hashchange', saveSoon);
    globalThis.removeEventListener?.('pagehide', save);
    started.value = false;
  }

  /** Forgets the stored session (the next start begins from the defaults). */
  function forget(): void {
    try {
      storage()?.removeItem(SESSION_KEY);
    } catch {
      // nothing stored that could be read either
    }
  }

  return { started: readonly(started), restored: readonly(restored), start, stop, save, saveSoon, forget };
});
