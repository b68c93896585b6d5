// The model families the studio knows, registered under their config names; the config schema, builder, words and form derive from here.
import { StudioError } from '../../errors';
import { Registry } from '../../registry';
import type { FamilyField, FamilySchema, ItemKind, ModelFamily } from './family';
import { mlpFamily } from './mlp';
import { SHARED_MODEL_KEYS, type SharedModelConfig } from './model-schema';
import { unetFamily } from './unet';

/** The families that ship with the studio, in the order they are offered (the first for a kind of data is suggested for it). */
export const BUILTIN_FAMILIES = [mlpFamily, unetFamily] as const;

/** Every registered family by its config name. */
export const modelFamilies = new Registry<ModelFamily>('model family');

/** A family's model config with every default filled, and its fields as [setting, field] pairs in form order. */
const prepared = new WeakMap<ModelFamily, { defaults: SharedModelConfig & Record<string, unknown>; fields: [string, FamilyField][] }>();

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Registers a family after checking that it fits the studio: a config name, a schema that defaults every setting, one form
 * field per own setting, and a field that another family shares being of the same kind. Throws duplicate-name for a taken name.
 */
export function registerFamily<S extends FamilySchema>(family: ModelFamily<S>): void {
  const entry = family as unknown as ModelFamily;
  const what = `model family '${family.name}'`;
  // a taken name fails first, in the registry's own words
  if (modelFamilies.has(family.name)) modelFamilies.register(family.name, entry);
  if (!NAME.test(family.name)) throw new StudioError('invalid-argument', `${what}: a family's name is lower-case letters, digits and '-', starting with a letter`);
  const parsed = entry.schema.safeParse({ family: family.name });
  if (!parsed.success) throw new StudioError('invalid-argument', `${what}: its schema must accept { family: '${family.name}' } alone, every other setting defaulted`);
  const defaults = parsed.data as SharedModelConfig & Record<string, unknown>;
  const fields = Object.entries(family.fields as Record<string, FamilyField>);
  const own = Object.keys(defaults).filter((key) => !SHARED_MODEL_KEYS.includes(key));
  const missing = own.filter((key) => !fields.some(([k]) => k === key));
  const extra = fields.map(([k]) => k).filter((key) => !own.includes(key));
  if (missing.length || extra.length) {
    throw new StudioError('invalid-argument', `${what}: each own setting needs one form field (${[...missing.map((k) => `no field for '${k}'`), ...extra.map((k) => `field '${k}' is no setting`)].join(', ')})`);
  }
  for (const other of registeredFamilies()) {
    for (const [key, field] of fields) {
      const theirs = familyFields(other).find(([k]) => k === key)?.[1];
      if (theirs && theirs.kind !== field.kind) throw new StudioError('invalid-argument', `${what}: its field '${key}' is of kind '${field.kind}' where the ${other.label}'s is of kind '${theirs.kind}'; the Train form holds one value per name`);
    }
  }
  modelFamilies.register(family.name, entry);
  prepared.set(entry, { defaults, fields });
}

for (const family of BUILTIN_FAMILIES as readonly ModelFamily[]) registerFamily(family);

/** The registered families in registration order. */
export function registeredFamilies(): ModelFamily[] {
  return modelFamilies.names().map((name) => modelFamilies.get(name));
}

/** The family suggested for items of a kind: the first registered one that takes them. */
export function familyFor(kind: ItemKind): ModelFamily {
  const family = registeredFamilies().find((f) => f.takes === kind);
  if (!family) throw new StudioError('unknown-name', `no model family takes ${kind}`);
  return family;
}

/** A registered family's model config with every default filled in. */
export function familyDefaults(family: ModelFamily): SharedModelConfig & Record<string, unknown> {
  return preparedOf(family).defaults;
}

/** A registered family's own settings with their form fields, in form order. */
export function familyFields(family: ModelFamily): readonly (readonly [string, FamilyField])[] {
  return preparedOf(family).fields;
}

function preparedOf(family: ModelFamily) {
  const p = prepared.get(family);
  if (!p) throw new StudioError('unknown-name', `model family '${family.name}' is not registered`);
  return p;
}
