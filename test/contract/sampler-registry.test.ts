// Every registered sampler and each of its options walked through the API (the samplers list, the request schema, a run) and the Sample section's pickers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params } from '../../src-core/api/contract';
import { samplingRequestSchema } from '../../src-core/api/methods/sampling';
import { StudioError } from '../../src-core/errors';
import { samplers } from '../../src-core/sampling';
import { safeParseStudio } from '../../src-core/validation';
import { optionFields, samplerGroups, SLIDER_OPTION } from '../../src-renderer/features/sample/sampler-choices';
import { TRANSPORTS, type Connection } from './transports';

const MIXTURE = { weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covariances: [[[0.25, 0], [0, 0.25]], [[0.25, 0], [0, 0.25]]] };
const request = (sampler: string, extra: Record<string, number> = {}): Params<'sampling.run'> => ({
  model: { kind: 'oracle', mixture: MIXTURE, schedule: { name: 'vp-linear' }, parameterisation: 'velocity' },
  sampler, steps: 3, tMax: 0.99, n: 8, seed: 1, grid: 'uniform', denoiseLast: false, ...extra,
});

async function refusal(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected the call to be refused');
}

describe('the sampler registry, walked through the API and the Sample pickers', () => {
  let c: Connection;
  beforeAll(async () => {
    c = await TRANSPORTS.direct();
  });
  afterAll(() => c.close());

  it('sampling.samplers lists every registered sampler with its options as registered, and the pickers offer each once', async () => {
    const list = await c.api.call('sampling.samplers', {});
    expect(list.map((s) => s.name)).toEqual(samplers.names());
    for (const info of list) {
      const spec = samplers.get(info.name);
      expect(info).toMatchObject({ label: spec.label, kind: spec.kind, nfePerStep: spec.nfePerStep, stochastic: spec.stochastic });
      expect(info.options).toEqual(spec.options);
    }
    const offered = samplerGroups(list).flatMap((g) => g.samplers.map((s) => s.name));
    expect([...offered].sort()).toEqual([...samplers.names()].sort());
    // each group holds one kind, and the left panel only samplers that draw no noise at their defaults
    for (const g of samplerGroups(list)) {
      expect(new Set(g.samplers.map((s) => s.kind)).size).toBe(1);
      if (g.panel === 'ode') expect(g.samplers.every((s) => !s.stochastic)).toBe(true);
    }
    // every option has a field beside its picker, or is the slider's
    for (const g of samplerGroups(list)) {
      for (const s of g.samplers) {
        const shown = optionFields(s, g.panel).map((o) => o.name);
        expect([...shown, ...(shown.length < s.options.length ? [SLIDER_OPTION] : [])].sort()).toEqual(s.options.map((o) => o.name).sort());
      }
    }
  });

  it('ddim says truthfully when it draws noise: not at its default eta = 0, only above', () => {
    const ddim = samplers.get('ddim');
    expect(ddim.stochastic).toBe(false);
    expect(ddim.noiseWhen).toEqual({ option: 'eta', above: 0 });
    expect(ddim.options.find((o) => o.name === 'eta')?.default).toBe(0);
  });

  for (const name of samplers.names()) {
    const spec = samplers.get(name);
    describe(name, () => {
      it('declares each option with a default inside its range', () => {
        expect(new Set(spec.options.map((o) => o.name)).size).toBe(spec.options.length);
        for (const o of spec.options) {
          expect(o.min, o.name).toBeLessThan(o.max);
          expect(o.default, o.name).toBeGreaterThanOrEqual(o.min);
          expect(o.default, o.name).toBeLessThanOrEqual(o.max);
          if (o.integer) expect(Number.isInteger(o.default) && Number.isInteger(o.min) && Number.isInteger(o.max), o.name).toBe(true);
          expect(o.label.length * o.meaning.length, o.name).toBeGreaterThan(0);
        }
      });

      it('runs through the API with every option set to its default, and the schema takes both ends of each range', async () => {
        const defaults = Object.fromEntries(spec.options.map((o) => [o.name, o.default]));
        const reply = await c.api.call('sampling.run', request(name, defaults));
        expect(reply.samples.length).toBe(16);
        expect(reply.samples.every(Number.isFinite)).toBe(true);
        for (const o of spec.options) {
          for (const value of [o.min, o.max]) expect(safeParseStudio(samplingRequestSchema, request(name, { [o.name]: value })).success, `${o.name} = ${value}`).toBe(true);
        }
      });

      for (const o of spec.options) {
        it(`refuses ${o.name} out of its range, and not a whole number where it must be one, saying so at the option`, async () => {
          const bad = [o.min - (o.integer ? 1 : Math.max(o.min, 1e-3)), o.max + (o.integer ? 1 : o.max), ...(o.integer ? [o.default + 0.5] : [])];
          for (const value of bad) {
            const err = await refusal(c.api.call('sampling.run', request(name, { [o.name]: value })));
            expect(err.code).toBe('invalid-message'); // the dispatcher's code for params its schema refuses
            expect(err.details).toHaveLength(1);
            expect(err.details[0].path).toEqual([o.name]);
            expect(err.details[0].message).toMatch(new RegExp(`^must be (at least|at most|a whole number) .*\\(sampler '${name}'\\)$`));
          }
        });
      }

      it('refuses, naming it, an option it does not take', async () => {
        const foreign = samplers.names().flatMap((n) => samplers.get(n).options).find((o) => !spec.options.some((mine) => mine.name === o.name));
        if (!foreign) return;
        const err = await refusal(c.api.call('sampling.run', request(name, { [foreign.name]: foreign.default })));
        expect(err.details).toEqual([{ path: [foreign.name], message: expect.stringContaining(`the sampler '${name}' does not take '${foreign.name}'`) }]);
      });
    });
  }
});
