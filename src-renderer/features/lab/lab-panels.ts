// The Lab's panels, declared once: the section's tabs, its '#lab/<id>' links and the tests all derive from this list.
//
// To add a panel: write its computation in src-core/lab (see the recipe in src-core/lab/index.ts), its component as
// <Name>Panel.vue in this folder (controls, pictures, the evidence line; it runs its computation through useLabRun and
// shows LabRunBar), its formulas as a topic file in src-renderer/reference/pages/lab/, then add one line below and one
// line to the topic list of src-renderer/reference/pages/lab/index.ts.
import { defineAsyncComponent, type Component } from 'vue';

/** One panel of the Lab. */
interface LabPanel {
  /** Kebab-case; the panel's link is '#lab/<id>'. */
  readonly id: string;
  readonly title: string;
  /** The reference entry of its formula, 'lab/<entry>'. */
  readonly anchor: string;
  /** What it shows, in a sentence. */
  readonly summary: string;
  readonly component: Component;
}

/** A panel's component, loaded when its tab first opens. */
function lazyPanel(load: () => Promise<{ default: Component }>): Component {
  return defineAsyncComponent(load);
}

/** Every panel, in the order of the tabs. */
export const LAB_PANELS: readonly LabPanel[] = [
  { id: 'processes', title: 'Processes', anchor: 'lab/ou-marginal', summary: 'Brownian motion and Ornstein–Uhlenbeck paths against their exact Gaussian marginals, and the forward SDE of the current schedule noising a 2-D data set.', component: lazyPanel(() => import('./ProcessesPanel.vue')) },
  { id: 'fokker-planck', title: 'Fokker–Planck', anchor: 'lab/fokker-planck', summary: 'A density carried by the Fokker–Planck equation of the chosen SDE, solved by conservative finite volumes, beside a particle histogram and the exact density, with the L1 distances between the three over t.', component: lazyPanel(() => import('./FokkerPlanckPanel.vue')) },
  { id: 'same-marginals', title: 'Same marginals, different paths', anchor: 'lab/same-marginals', summary: 'For a Gaussian mixture, the exact p_t with its score, probability-flow velocity and reverse-SDE drift, and particles of the ODE and of SDEs at several γ landing on the same marginals, each checked by MMD against exact draws.', component: lazyPanel(() => import('./SameMarginalsPanel.vue')) },
  { id: 'bridges', title: 'Bridges and transport', anchor: 'lab/bridges', summary: 'Two 2-D sets paired independently, by exact OT and by the Schrödinger bridge\'s entropic plan, each with its mean pair cost; SB-CFM trained at s from 1 to 0.05 with its learned map\'s transport cost against W2²; and a Gaussian bridge simulated from samples against its closed-form mean and covariance.', component: lazyPanel(() => import('./BridgesPanel.vue')) },
  { id: 'reflow', title: 'Reflow', anchor: 'lab/reflow', summary: 'A flow trained from noise to a 2-D set, then retrained on pairs its own ODE makes (2- and 3-rectified flows): its paths straighten, and one or two Euler steps come to sample the set as well as many do.', component: lazyPanel(() => import('./ReflowPanel.vue')) },
  { id: 'likelihood', title: 'Likelihood', anchor: 'lab/likelihood-grid', summary: 'log p of a 2-D mixture through the probability-flow ODE, from a flow trained here or the exact velocity, beside the exact log p and their difference, with the grid\'s mass, held-out NLL and Hutchinson against the exact divergence; and bits per dimension of MNIST under a run of the workspace.', component: lazyPanel(() => import('./LikelihoodPanel.vue')) },
  { id: 'why-flow-matching', title: 'Why flow matching', anchor: 'lab/why-flow-matching', summary: 'One MLP trained as a CNF by maximum likelihood (an ODE solve with the exact divergence per step) and by flow matching (one evaluation per step) on the same data and budget: held-out NLL over training time, loss curves, NFE per step and samples against the data.', component: lazyPanel(() => import('./WhyFlowMatchingPanel.vue')) },
];

/** The panel a '#lab/<id>' hash names, else the first. */
export function panelFromHash(hash: string): LabPanel | null {
  const [section, id] = hash.replace(/^#/, '').split('/');
  return (section === 'lab' ? LAB_PANELS.find((p) => p.id === id) : undefined) ?? LAB_PANELS[0] ?? null;
}
