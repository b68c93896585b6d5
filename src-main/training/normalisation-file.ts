// normalisation.json of a run: the normalisation its data (and source set) trained under, in the file's own names.
import type { Normalisation } from '../../src-core/normalisation';

/** The file's name in a run folder. */
export const NORMALISATION_FILE = 'normalisation.json';

/** One entry as the file has always held it: x_model = (x - mean) / std, with 'none' as mean 0 and std 1 per coordinate. */
interface NormalisationFileEntry {
  readonly kind: 'none' | 'standardise';
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The file's entry for a normalisation of rows of d numbers (null: the run trained in data units). */
function fileEntry(norm: Normalisation | null, d: number): NormalisationFileEntry {
  if (!norm) return { kind: 'none', mean: new Array<number>(d).fill(0), std: new Array<number>(d).fill(1) };
  const full = (list: readonly number[]) => (list.length === d ? [...list] : new Array<number>(d).fill(list[0]));
  return { kind: 'standardise', mean: full(norm.mean), std: full(norm.scale) };
}

/** The text of normalisation.json for a run's data and, in data-to-data runs, its source set (the file's names kept, so older tools read it). */
export function normalisationFileText(data: Normalisation | null, source: { readonly normalisation: Normalisation | null } | undefined, d: number): string {
  return `${JSON.stringify({ data: fileEntry(data, d), source: source ? fileEntry(source.normalisation, d) : null }, null, 2)}\n`;
}
