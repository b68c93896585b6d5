// The in-app math reference: its pages in MATH.md order, anchor lookup, and the filter behind the search box.
import { formulaPlain } from './formula-text';
import { COUPLINGS_PAGE } from './pages/couplings';
import { LAB_PAGE } from './pages/lab';
import { LIKELIHOOD_PAGE } from './pages/likelihood';
import { LOSSES_PAGE } from './pages/losses';
import { METRICS_PAGE } from './pages/metrics';
import { ORACLE_PAGE } from './pages/oracle';
import { OUTPUTS_PAGE } from './pages/outputs';
import { PATHS_PAGE } from './pages/paths';
import { SAMPLING_PAGE } from './pages/sampling';
import type { ReferenceEntry, ReferencePage } from './types';

export type { ReferenceEntry } from './types';

/** All pages, one per MATH.md section, in order. */
export const REFERENCE_PAGES: readonly ReferencePage[] = [PATHS_PAGE, OUTPUTS_PAGE, LOSSES_PAGE, COUPLINGS_PAGE, SAMPLING_PAGE, LIKELIHOOD_PAGE, METRICS_PAGE, ORACLE_PAGE, LAB_PAGE];

/** The hash prefix of the reference section. */
const REFERENCE_HASH = '#reference';

/** Where a '#reference/<page>/<entry>' hash points; either part may be absent. */
export interface ReferenceTarget {
  readonly page: ReferencePage;
  readonly entry: ReferenceEntry | null;
}

/** An entry together with its page (what the filter returns). */
interface ReferenceHit {
  readonly page: ReferencePage;
  readonly entry: ReferenceEntry;
}

/** The location hash of a page or of one entry on it. */
export function referenceHref(pageId: string, entryId?: string): string {
  return `${REFERENCE_HASH}/${pageId}${entryId ? `/${entryId}` : ''}`;
}

/** Other names of entries: the values controls hold (the Train form's coupling kinds), so a hint can link by value. */
const ALIASES: Readonly<Record<string, string>> = {
  'couplings/ot': 'couplings/minibatch-ot',
  'couplings/schrodinger': 'couplings/schrodinger-bridge',
};

/** The entry named 'page/entry' (as FormulaHint takes it, aliases included), or null. */
export function findEntry(anchor: string): ReferenceHit | null {
  const [pageId, entryId] = (ALIASES[anchor] ?? anchor).split('/');
  const page = REFERENCE_PAGES.find((p) => p.id === pageId);
  const entry = page?.entries.find((e) => e.id === entryId);
  return page && entry ? { page, entry } : null;
}

/** Reads a location hash; anything not naming a known page gives the first page. */
export function targetFromHash(hash: string): ReferenceTarget {
  const [, pageId, entryId] = decodeURIComponent(hash.replace(/^#/, '')).split('/');
  const page = REFERENCE_PAGES.find((p) => p.id === pageId) ?? REFERENCE_PAGES[0];
  return { page, entry: page.entries.find((e) => e.id === entryId) ?? null };
}

/** Lower-case text the filter searches: title, formulas (without markup), explanation, keywords, page title. */
function haystack(page: ReferencePage, entry: ReferenceEntry): string {
  return [entry.title, ...entry.formulas.map(formulaPlain), entry.text, entry.keywords ?? '', page.title, entry.id].join(' ').toLowerCase();
}

const INDEX: readonly (ReferenceHit & { readonly text: string })[] = REFERENCE_PAGES.flatMap((page) => page.entries.map((entry) => ({ page, entry, text: haystack(page, entry) })));

/** Entries matching every word of the query (case-insensitive); an empty query matches nothing. */
export function filterReference(query: string): ReferenceHit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return INDEX.filter((x) => words.every((w) => x.text.includes(w))).map(({ page, entry }) => ({ page, entry }));
}
