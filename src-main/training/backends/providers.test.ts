// The providers the studio ships: exactly one per name of the backend list, so the list and the registry cannot drift apart.
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../../src-core/training/backend';
import { PROVIDERS } from './providers';
import { backendRegistry } from './resolve-backend';

describe('the provider registry', () => {
  it('holds exactly the backends of BACKEND_NAMES, each once', () => {
    expect([...PROVIDERS.map((p) => p.name)].sort()).toEqual([...BACKEND_NAMES].sort());
    expect(new Set(PROVIDERS.map((p) => p.name)).size).toBe(PROVIDERS.length);
    expect([...backendRegistry().names()].sort()).toEqual([...BACKEND_NAMES].sort());
  });
});
