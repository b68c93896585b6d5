// Tests of the math reference: its pages and anchors, the formula markup, the filter, and every hint's link target.
import { describe, expect, it } from 'vitest';
import { parseFormula, formulaPlain } from './formula-text';
import { filterReference, findEntry, REFERENCE_PAGES, referenceHref, targetFromHash } from './index';

/** Source of every feature component, to find the anchors their hints link to. */
const SOURCES = import.meta.glob('../features/**/*.vue', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('math reference', () => {
  it('has one page per MATH.md section, 1 to 9, with unique kebab-case anchors', () => {
    expect(REFERENCE_PAGES.map((p) => p.section)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(REFERENCE_PAGES.map((p) => p.id)).size).toBe(9);
    for (const p of REFERENCE_PAGES) {
      expect(p.entries.length).toBeGreaterThan(0);
      const ids = p.entries.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of p.entries) {
        expect(e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(e.formulas.length).toBeGreaterThan(0);
      }
    }
  });

  it('parses sub- and superscripts, braced groups and nesting, and leaves stray marks alone', () => {
    expect(parseFormula('g_t^2')).toEqual([
      { kind: 'text', text: 'g' },
      { kind: 'sub', children: [{ kind: 'text', text: 't' }] },
      { kind: 'sup', children: [{ kind: 'text', text: '2' }] },
    ]);
    expect(parseFormula('e^{−λ_t/2}')).toEqual([
      { kind: 'text', text: 'e' },
      { kind: 'sup', children: [{ kind: 'text', text: '−λ' }, { kind: 'sub', children: [{ kind: 'text', text: 't' }] }, { kind: 'text', text: '/2' }] },
    ]);
    expect(formulaPlain("u = α' x_0 + σ' ε")).toBe("u = α' x0 + σ' ε");
    expect(formulaPlain('a _ b ^')).toBe('a _ b ^');
  });

  it('resolves hashes and anchors, falling back to the first page', () => {
    expect(targetFromHash('#reference/sampling/gamma-family').entry?.title).toMatch(/γ/);
    expect(targetFromHash('#reference/nowhere').page.id).toBe('paths');
    expect(findEntry('couplings/ot')?.entry.id).toBe('minibatch-ot');
    expect(findEntry('sampling/none')).toBeNull();
    expect(referenceHref('sampling', 'gamma-family')).toBe('#reference/sampling/gamma-family');
  });

  it('filters by every word, across titles, formulas and keywords', () => {
    expect(filterReference('')).toEqual([]);
    expect(filterReference('gamma slider').map((h) => h.entry.id)).toContain('gamma-family');
    // every hit names the word, and the couplings page's Sinkhorn entry is among them
    const sinkhorn = filterReference('sinkhorn');
    expect(sinkhorn.length).toBeGreaterThan(0);
    expect(sinkhorn.some((h) => h.page.id === 'couplings' && h.entry.id === 'sinkhorn')).toBe(true);
    expect(sinkhorn.every((h) => /sinkhorn/i.test(JSON.stringify(h.entry)))).toBe(true);
    expect(filterReference('x0 = (x').length).toBeGreaterThan(0);
    expect(filterReference('qwertyuiop')).toEqual([]);
  });

  it('every formula hint in the features links to an existing entry (each preset and coupling too)', () => {
    const anchors = Object.values(SOURCES).flatMap((src) => [...src.matchAll(/<FormulaHint[^>]*\sanchor="([^"]+)"/g)].map((m) => m[1]));
    expect(anchors.length).toBeGreaterThanOrEqual(8);
    for (const a of anchors) expect(findEntry(a), a).not.toBeNull();
    for (const preset of ['vp-linear', 'vp-cosine', 'sub-vp', 've', 'linear', 'ddpm', 'custom']) expect(findEntry(`paths/${preset}`), preset).not.toBeNull();
    for (const c of ['independent', 'ot', 'sinkhorn', 'schrodinger']) expect(findEntry(`couplings/${c}`), c).not.toBeNull();
  });
});
