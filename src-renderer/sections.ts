// The studio's sections as the navigation shows them, with what the unfinished ones will do.

/** A section's id. */
export type SectionId = 'data' | 'schedule' | 'train' | 'sample' | 'export';

/** One entry of the navigation. */
export interface Section {
  readonly id: SectionId;
  readonly label: string;
  /** False for a section that is not built yet. */
  readonly available: boolean;
  /** What the section does (or will do), in one or two sentences. */
  readonly summary: string;
}

/** All sections, in the order of the workflow. */
export const SECTIONS: readonly Section[] = [
  { id: 'data', label: 'Data', available: true, summary: 'Generate a built-in 2-D data set, look at it, and save it to the workspace.' },
  {
    id: 'schedule',
    label: 'Schedule',
    available: false,
    summary: 'Pick a noise schedule (VP, VE, sub-VP, cosine, linear flow) or draw your own, and see alpha, sigma and the log-SNR it gives over time.',
  },
  {
    id: 'train',
    label: 'Train',
    available: false,
    summary: 'Train a diffusion or flow-matching model on the chosen data set with one click, with the loss streaming into a chart as it runs.',
  },
  {
    id: 'sample',
    label: 'Sample',
    available: false,
    summary: 'Watch reverse-SDE and probability-flow-ODE sampling side by side, step by step, from the trained model or the exact oracle.',
  },
  {
    id: 'export',
    label: 'Export',
    available: false,
    summary: 'Export the trained network to ONNX, with the schedule and parameterisation recorded in its metadata.',
  },
];

/** The section named by a location hash such as '#data', or the Data section. */
export function sectionFromHash(hash: string): SectionId {
  const id = hash.replace(/^#/, '');
  return SECTIONS.find((s) => s.id === id)?.id ?? 'data';
}
