// The family registry refuses what the studio could not offer: a taken or malformed name, a setting without a form field, a schema without defaults.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StudioError } from '../../errors';
import type { FamilySchema, ModelFamily } from './family';
import { labelsShape, timeEmbeddingSchema } from './model-schema';
import { mlpFamily } from './mlp';
import { BUILTIN_FAMILIES, familyDefaults, familyFields, familyFor, modelFamilies, registerFamily, registeredFamilies } from './registry';
import { unetFamily } from './unet';

/** A family entry around a schema with the given own settings; the rest borrowed from the MLP. */
function familyWith(name: string, own: z.ZodRawShape, fields: Record<string, unknown>): ModelFamily {
  const schema = z.strictObject({ family: z.literal(name), ...own, timeEmbedding: timeEmbeddingSchema.prefault({ kind: 'raw' }), ...labelsShape });
  return { ...(mlpFamily as unknown as ModelFamily), name, schema: schema as unknown as FamilySchema, fields } as ModelFamily;
}

/** The StudioError a call throws. */
function thrown(f: () => void): StudioError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected a StudioError');
}

describe('model family registry', () => {
  it('holds the built-in families in order, each with its defaults and one field per own setting', () => {
    expect(registeredFamilies()).toEqual([...BUILTIN_FAMILIES]);
    expect(familyFor('vectors')).toBe(mlpFamily);
    expect(familyFor('images')).toBe(unetFamily);
    expect(familyDefaults(mlpFamily)).toMatchObject({ family: 'mlp', hidden: [256, 256, 256], residual: false, activation: 'silu' });
    expect(familyFields(unetFamily).map(([key]) => key)).toEqual(['channels', 'attentionLevels', 'resBlocks', 'groups']);
  });

  it('throws on a name registered twice', () => {
    expect(thrown(() => registerFamily(mlpFamily)).code).toBe('duplicate-name');
    expect(thrown(() => modelFamilies.register('unet', unetFamily as unknown as ModelFamily)).code).toBe('duplicate-name');
    expect(modelFamilies.names()).toEqual(['mlp', 'unet']);
  });

  it('refuses a name that cannot be a config value', () => {
    expect(thrown(() => registerFamily(familyWith('Big Net', {}, {}))).message).toMatch(/lower-case letters/);
  });

  it('refuses a setting without a form field, and a field for no setting', () => {
    const missing = familyWith('deep', { depth: z.number().int().default(4) }, {});
    expect(thrown(() => registerFamily(missing)).message).toMatch(/no field for 'depth'/);
    const extra = familyWith('wide', {}, { width: { kind: 'number', label: 'Width', help: 'units' } });
    expect(thrown(() => registerFamily(extra)).message).toMatch(/field 'width' is no setting/);
  });

  it('refuses a schema that does not default every setting', () => {
    const strictWidth = familyWith('bare', { width: z.number().int() }, { width: { kind: 'number', label: 'Width', help: 'units' } });
    expect(thrown(() => registerFamily(strictWidth)).message).toMatch(/must accept \{ family: 'bare' \} alone/);
  });

  it("refuses a field of another kind under a name another family's field has", () => {
    const clash = familyWith('clash', { hidden: z.boolean().default(false) }, { hidden: { kind: 'check', label: 'Hidden', help: 'a flag' } });
    expect(thrown(() => registerFamily(clash)).message).toMatch(/its field 'hidden' is of kind 'check' where the MLP's is of kind 'integers'/);
    expect(modelFamilies.has('clash')).toBe(false);
  });
});
