// Reference page for MATH.md §9, the theory behind the Lab: one topic file per panel, joined here.
//
// To add a topic: write its entries in pages/lab/<topic>.ts (ids unique on this page; a panel's anchor is
// 'lab/<entry id>'), import it, and add it as one line of LAB_TOPICS.
import type { ReferenceEntry, ReferencePage } from '../../types';
import { BRIDGES_ENTRIES } from './bridges';
import { FOKKER_PLANCK_ENTRIES } from './fokker-planck';
import { LIKELIHOOD_ENTRIES } from './likelihood';
import { PROCESSES_ENTRIES } from './processes';
import { REFLOW_ENTRIES } from './reflow';
import { SAME_MARGINALS_ENTRIES } from './same-marginals';
import { WHY_FLOW_MATCHING_ENTRIES } from './why-flow-matching';

/** The entries of each panel's topic, in the order of the Lab's tabs. */
const LAB_TOPICS: readonly (readonly ReferenceEntry[])[] = [
  PROCESSES_ENTRIES,
  FOKKER_PLANCK_ENTRIES,
  SAME_MARGINALS_ENTRIES,
  BRIDGES_ENTRIES,
  REFLOW_ENTRIES,
  LIKELIHOOD_ENTRIES,
  WHY_FLOW_MATCHING_ENTRIES,
];

export const LAB_PAGE: ReferencePage = {
  id: 'lab',
  section: 9,
  title: 'Processes and the Lab',
  intro: 'The stochastic processes under the studio and the equations that carry their densities, as the Lab section shows them, each with the check it measures live.',
  entries: LAB_TOPICS.flat(),
};
