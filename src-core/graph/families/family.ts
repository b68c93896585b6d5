// What a model family declares: its config schema, the form fields of its own settings, its graph, its words and what data it takes.
import type { z } from 'zod';
import type { BuiltGraph } from '../builder';
import type { SharedModelConfig } from './model-schema';
import type { TimeEmbedding } from './time-embedding';

/** The kinds of item a network takes, with the words the studio uses for each. */
export const ITEM_KINDS = {
  vectors: { rank: 1, shape: 'vectors', one: 'vector', data: 'points and tables' },
  images: { rank: 3, shape: 'images [C, H, W]', one: 'image', data: 'images' },
} as const;
export type ItemKind = keyof typeof ITEM_KINDS;

/** The kind of item a data row of this shape is: [C, H, W] an image, anything else a vector. */
export function itemKindOf(shape: readonly number[]): ItemKind {
  return shape.length === ITEM_KINDS.images.rank ? 'images' : 'vectors';
}

/** A network built from a model config: its graph, flat layout, and the null label when class-conditioned. */
export interface BuiltModel extends BuiltGraph {
  readonly nullClass: number | undefined;
}

/** The shared settings as a graph builder takes them. */
interface SharedBuildOptions {
  readonly timeEmbedding: TimeEmbedding;
  /** Present when the model is class-conditioned. */
  readonly classes?: number;
}

/** A problem of a model config, its path below `model`. */
export interface ModelIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

interface FieldWords {
  readonly label: string;
  /** One line shown as the field's tooltip. */
  readonly help: string;
}

/** A list of whole numbers, typed as comma-separated text. */
interface IntegersField extends FieldWords {
  readonly kind: 'integers';
  readonly min: number;
  /** True if the list may be empty. */
  readonly empty?: boolean;
  /** What the entries are, in the message for a list that does not read ('widths'). */
  readonly noun: string;
  readonly example: string;
}

/** A number with its range. */
interface NumberField extends FieldWords {
  readonly kind: 'number';
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

/** A yes/no setting. */
interface CheckField extends FieldWords {
  readonly kind: 'check';
}

/** One of a few names. */
interface SelectField<V extends string = string> extends FieldWords {
  readonly kind: 'select';
  readonly choices: readonly V[];
}

/** Any form field of a family. */
export type FamilyField = IntegersField | NumberField | CheckField | SelectField;

/** The field a setting of this value type takes. */
type FieldFor<V> = [V] extends [readonly number[]] ? IntegersField : [V] extends [number] ? NumberField : [V] extends [boolean] ? CheckField : [V] extends [string] ? SelectField<V> : never;

/** A family's own settings: the keys of its model config that are not shared. */
export type OwnKey<C> = Exclude<keyof C, keyof SharedModelConfig> & string;

/** One form field per own setting, in the order the form shows them (the schema's defaults are the fields' defaults). */
type FamilyFields<C> = { readonly [K in OwnKey<C>]-?: FieldFor<C[K]> };

/** A family's config schema: a strict object with `family` as a literal, the shared settings and its own. */
export type FamilySchema = z.ZodType<SharedModelConfig>;

/** A model family: everything the studio needs to offer, check, build, describe and suggest it. */
export interface ModelFamily<S extends FamilySchema = FamilySchema> {
  /** The config's `model.family` value. */
  readonly name: string;
  /** The family as the studio names it ('MLP'). */
  readonly label: string;
  /** What it is for, after its label in the form's tip ('for points and tables'). */
  readonly summary: string;
  /** The items it takes; the first family registered for a kind is the one suggested for such data. */
  readonly takes: ItemKind;
  readonly schema: S;
  readonly fields: FamilyFields<z.output<S>>;
  /** The network for a model config and an item shape of the kind it takes. */
  build(model: z.output<S>, itemShape: readonly number[], shared: SharedBuildOptions): BuiltModel;
  /** The model in a few words ('MLP 128×128'). */
  describe(model: z.output<S>): string;
  /** Problems that tie its settings together. */
  check(model: z.output<S>): readonly ModelIssue[];
  /** Its own settings and time embedding for a first run on items of this shape (classes are added by the caller). */
  suggest(itemShape: readonly number[]): Omit<z.input<S>, 'classes' | 'labelDropout'>;
}
