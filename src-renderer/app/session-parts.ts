// The parts a session keeps, registered by the features that own them: how each is checked, saved and put back.

/**
 * Everything restored on start; each part is optional and checked on its own. The features add their parts to this
 * interface beside the part they register (module augmentation), so this folder never names them.
 */
export interface SessionSnapshot {
  /** The location hash of the section (and for the reference, the anchor) last shown. */
  hash?: string;
}

/** The keys of the snapshot that belong to a feature (the hash is the shell's own). */
export type PartKey = Exclude<keyof SessionSnapshot, 'hash'>;
/** The checked value stored under a key. */
type PartValue<K extends PartKey> = NonNullable<SessionSnapshot[K]>;

/** A part bound to the live stores when the session starts. */
export interface BoundPart<V> {
  /** The value to store now; undefined leaves the part out of the snapshot. */
  save(): V | undefined;
  /** Puts a checked stored value back; false when the store refused it (it is then not reported as restored). */
  restore(value: V): boolean;
  /** What the session watches (deeply) to save after a change. */
  watched(): unknown;
  /** Watchers started once the session saves, for parts that wait on the studio's lists; returns their stoppers. */
  follow?(): (() => void)[];
}

/** One part of the session as its feature declares it. */
export interface SessionPart<K extends PartKey = PartKey> {
  readonly key: K;
  /** The stored value if it passes the feature's own checks, else undefined (the part is dropped, the rest kept). */
  check(raw: unknown): PartValue<K> | undefined;
  /** Binds the part to the stores of the active Pinia. */
  bind(): BoundPart<PartValue<K>>;
}

const parts: SessionPart[] = [];

/** Adds parts in the order they are restored; a key registered twice throws. */
export function registerSessionParts(...added: SessionPart[]): void {
  for (const part of added) {
    if (parts.some((p) => p.key === part.key)) throw new Error(`session part '${part.key}' is registered twice`);
    parts.push(part);
  }
}

/** Declares a part with its key's value type checked (the list itself holds parts of any key). */
export const sessionPart = <K extends PartKey>(part: SessionPart<K>): SessionPart => part as unknown as SessionPart;

/** The registered parts, in restore order. */
export function sessionParts(): readonly SessionPart[] {
  return parts;
}
