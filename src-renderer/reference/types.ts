// The shape of the in-app math reference: pages (one per MATH.md section) made of anchored entries.

/** One formula (or a small group of them) with an anchor a tooltip can link to. */
export interface ReferenceEntry {
  /** Anchor inside its page, kebab-case: '#reference/<page>/<id>'. */
  readonly id: string;
  readonly title: string;
  /** Formula lines in the light markup of formula-text.ts (x_t, σ^2, e^{-λ/2}). */
  readonly formulas: readonly string[];
  /** What the formula says and where the studio uses it, in a sentence or three. */
  readonly text: string;
  /** Extra words the filter box should match (names of controls, synonyms). */
  readonly keywords?: string;
}

/** One page of the reference: a section of MATH.md. */
export interface ReferencePage {
  readonly id: string;
  /** The MATH.md section number, 1 to 9. */
  readonly section: number;
  readonly title: string;
  readonly intro: string;
  readonly entries: readonly ReferenceEntry[];
}
