// A name -> value table that refuses to register a name twice and names the known ones on a miss.
import { StudioError } from './errors';

/** A registry of named entries (samplers, schedules, ...); duplicates throw. */
export class Registry<T> {
  private readonly entries = new Map<string, T>();
  constructor(readonly kind: string) {}

  /** Adds an entry; throws duplicate-name if the name is taken. */
  register(name: string, value: T): void {
    if (this.entries.has(name)) throw new StudioError('duplicate-name', `${this.kind} '${name}' is already registered`);
    this.entries.set(name, value);
  }

  /** Returns the entry or throws unknown-name listing what exists. */
  get(name: string): T {
    const value = this.entries.get(name);
    if (value === undefined) {
      throw new StudioError('unknown-name', `unknown ${this.kind} '${name}'; known: ${[...this.entries.keys()].join(', ')}`);
    }
    return value;
  }

  /** True if the name is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }
}
