// The Lab's series colours per theme, declared once: what each panel draws in, and what its tests look for on the screen.

/** Colours of the Lab's pictures in one theme. */
interface LabColours {
  /** Exact laws (closed-form densities, their means and bands). */
  readonly exact: string;
  /** The finite-volume Fokker–Planck density. */
  readonly fp: string;
  /** Particles, their histograms and paths. */
  readonly particles: string;
  /** The density heat map. */
  readonly density: string;
  /** One colour per gamma of the same-marginals panel, in order. */
  readonly gammas: readonly string[];
  /** One colour per flow of the reflow panel: 1-rectified, 2-rectified, ... */
  readonly rectified: readonly string[];
  /** The why-flow-matching panel's two trainings of one network: as a CNF by maximum likelihood, and by flow matching. */
  readonly cnf: string;
  readonly fm: string;
}

const LIGHT: LabColours = {
  exact: '#1a7f4b',
  fp: '#3a63d8',
  particles: '#d9822b',
  density: '#6a3d9a',
  gammas: ['#3a63d8', '#1a7f4b', '#d9822b', '#c2185b', '#00838f', '#8a5a00'],
  rectified: ['#c2185b', '#3a63d8', '#d9822b', '#6a3d9a'],
  cnf: '#c2185b',
  fm: '#00838f',
};

const DARK: LabColours = {
  exact: '#5fd39a',
  fp: '#7c9cf5',
  particles: '#f0a050',
  density: '#b48ef0',
  gammas: ['#8fb0ff', '#5fd39a', '#f0a050', '#ff7ab8', '#4dd0e1', '#f3c26b'],
  rectified: ['#ff7ab8', '#8fb0ff', '#f0a050', '#b48ef0'],
  cnf: '#ff7ab8',
  fm: '#4dd0e1',
};

/** The Lab's colours in a theme. */
export function labColours(theme: 'light' | 'dark'): LabColours {
  return theme === 'dark' ? DARK : LIGHT;
}
