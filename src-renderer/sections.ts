// The studio's sections as the navigation shows them, with what each one does.

/** One entry of the navigation. */
interface Section<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
  /** What the section does, in one or two sentences. */
  readonly summary: string;
}

/** All sections, in the order of the workflow (their ids are typed from this list). */
const LIST = [
  { id: 'data', label: 'Data', summary: 'Generate a built-in 2-D data set, look at it, and save it to the workspace.' },
  {
    id: 'schedule',
    label: 'Schedule',
    summary: 'Pick a noise schedule (VP, VE, sub-VP, cosine, linear flow, DDPM) or draw your own log-SNR curve, and see alpha, sigma, log-SNR and g^2 over time and the data noised along the path.',
  },
  {
    id: 'train',
    label: 'Train',
    summary: 'Train a diffusion or flow-matching model on the chosen data set and schedule, with the loss and preview samples streaming in as it runs, the backend it chose and why, and every run to reopen or resume.',
  },
  {
    id: 'sample',
    label: 'Sample',
    summary: 'Watch the probability-flow ODE and the reverse SDE carry the same noise to data, side by side and step by step, from an exported model or the exact ideal model, and measure quality against NFE.',
  },
  {
    id: 'export',
    label: 'Export',
    summary: 'Export a trained run to ONNX (the network, or a whole sampler as one graph), with the schedule and parameterisation in its metadata, and see the file\u2019s verdict.',
  },
  {
    id: 'lab',
    label: 'Lab',
    summary: 'Watch the mathematics behind the studio move, one panel per topic, each with its formula and a line of evidence measured live: stochastic processes, the Fokker–Planck equation, and the ODE and SDEs that share their marginals.',
  },
  { id: 'reference', label: 'Reference', summary: 'The math behind every control, one page per topic, with a filter; formula tooltips elsewhere link here.' },
] as const satisfies readonly Section[];

/** A section's id. */
export type SectionId = (typeof LIST)[number]['id'];

/** All sections, in the order of the workflow. */
export const SECTIONS: readonly Section<SectionId>[] = LIST;

/** The section named by a location hash such as '#data' or '#reference/sampling/gamma-family', or the Data section. */
export function sectionFromHash(hash: string): SectionId {
  const id = hash.replace(/^#/, '').split('/')[0];
  return SECTIONS.find((s) => s.id === id)?.id ?? 'data';
}
