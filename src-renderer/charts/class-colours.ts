// One colour per class label, shared by every scatter that colours points by class, so a class looks the same everywhere.

/**
 * Class colours, readable on both themes, by label (cycling past ten classes). The particle blue and the path magenta
 * of the Sample panels come last, so the first classes never look like the particles drawn over them.
 */
const CLASS_PALETTE: readonly string[] = ['#e8590c', '#2f9e44', '#7048e8', '#0c8599', '#a87900', '#5c677d', '#d9480f', '#1971c2', '#c2255c', '#3a63d8'];

/** The colour of a class label. */
export function classColour(label: number): string {
  return CLASS_PALETTE[((label % CLASS_PALETTE.length) + CLASS_PALETTE.length) % CLASS_PALETTE.length];
}

/** One entry of a chart's legend. */
export interface LegendEntry {
  readonly name: string;
  readonly colour: string;
  /** Drawn faintly (data under samples). */
  readonly faint?: boolean;
}
