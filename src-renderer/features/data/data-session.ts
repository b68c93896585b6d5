// The Data section as the session keeps it: the drawn mixture, and the data set chosen with its inputs (applied once the studio lists the sets).
import { watch } from 'vue';
import { sessionPart } from '../../app/session-parts';
import { finite, intIn, isObject } from '../../app/stored-checks';
import type { ParamValues } from './dataset-fields';
import { useDatasetsStore } from './datasets.store';
import { componentProblem, MAX_COMPONENTS, type MixtureComponent } from './mixture-components';

/** The data set chosen in the Data section with its inputs. */
interface DatasetChoice {
  readonly id: string;
  readonly params: ParamValues;
}

declare module '../../app/session-parts' {
  interface SessionSnapshot {
    dataset?: DatasetChoice;
    /** The components of the Data section's mixture editor. */
    mixture?: MixtureComponent[];
  }
}

/** Mixture components the editor takes: at most MAX_COMPONENTS, each usable; anything else drops the whole list. */
function checkMixture(v: unknown): MixtureComponent[] | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_COMPONENTS) return undefined;
  const out: MixtureComponent[] = [];
  for (const c of v) {
    if (!isObject(c) || !Array.isArray(c.mean) || c.mean.length !== 2 || !c.mean.every(finite) || !finite(c.weight) || !finite(c.std)) return undefined;
    const component: MixtureComponent = { mean: [c.mean[0], c.mean[1]], weight: c.weight, std: c.std };
    if (componentProblem(component)) return undefined;
    out.push(component);
  }
  return out;
}

/** A data set id with count, noise, seed and the set's own numeric inputs. */
function checkDataset(v: unknown): DatasetChoice | undefined {
  if (!isObject(v) || typeof v.id !== 'string' || !/^[\w.-]{1,80}$/.test(v.id) || !isObject(v.params)) return undefined;
  const { count, noise, seed, values } = v.params;
  if (!intIn(count, 1, 1_000_000) || !intIn(seed, 0, 2 ** 32 - 1) || !(noise === null || finite(noise)) || !isObject(values)) return undefined;
  if (!Object.values(values).every(finite)) return undefined;
  return { id: v.id, params: { count: count as number, noise: noise as number | null, seed: seed as number, values: { ...(values as Record<string, number>) } } };
}

/** The mixture editor's part of the session (restored before the Sample model: the ideal model of the mixture set is the mixture drawn). */
export const MIXTURE_SESSION = sessionPart({
  key: 'mixture',
  check: checkMixture,
  bind() {
    const datasets = useDatasetsStore();
    return {
      save: () => datasets.mixture.map((c) => ({ mean: [c.mean[0], c.mean[1]] as [number, number], weight: c.weight, std: c.std })),
      restore: (components) => datasets.restoreMixture(components),
      watched: () => datasets.mixture,
    };
  },
});

/** The chosen data set's part of the session: it waits for the studio's list of sets and is saved as stored meanwhile. */
export const DATASET_SESSION = sessionPart({
  key: 'dataset',
  check: checkDataset,
  bind() {
    const datasets = useDatasetsStore();
    let pending: DatasetChoice | null = null;

    /** Selects the stored data set once the studio has listed the sets (and made its own first choice). */
    async function apply(): Promise<void> {
      const choice = pending;
      if (!choice || !datasets.selectedId) return;
      pending = null;
      if (!datasets.list.some((d) => d.id === choice.id)) return;
      if (datasets.selectedId !== choice.id) await datasets.select(choice.id);
      const names = new Set(datasets.fields.map((f) => f.name));
      const { count, noise, seed, values } = choice.params;
      for (const [name, value] of [['count', count], ['noise', noise], ['seed', seed], ...Object.entries(values)] as [string, number | null][]) {
        if (names.has(name)) datasets.setParam(name, value);
      }
    }

    return {
      save: () => (datasets.selectedId && datasets.params && !pending ? { id: datasets.selectedId, params: JSON.parse(JSON.stringify(datasets.params)) } : (pending ?? undefined)),
      restore(choice) {
        pending = choice;
        return true;
      },
      watched: () => [datasets.selectedId, datasets.params],
      follow: () => [watch(() => datasets.selectedId, () => void apply(), { immediate: true })],
    };
  },
});
