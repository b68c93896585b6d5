// Tests of the sampler pickers and option fields derived from the studio's sampler list.
import { describe, expect, it } from 'vitest';
import type { SamplerInfo } from '../../../src-core/api/methods/sampling';
import { readNumber } from './sample-fields';
import { optionField, optionFields, requestOptions, samplerGroups } from './sampler-choices';

const opt = (name: SamplerInfo['options'][number]['name'], min: number, max: number, integer: boolean, value: number) => ({ name, label: name, meaning: name, min, max, integer, default: value });
const info = (name: string, kind: SamplerInfo['kind'], options: SamplerInfo['options'] = [], nfePerStep: SamplerInfo['nfePerStep'] = 1): SamplerInfo => ({
  name, label: name, kind, nfePerStep, stochastic: kind !== 'ode', noiseWhen: null, options,
});
const GAMMA = opt('gamma', 0, 100, false, 1);
const SNR = opt('snr', 0.001, 1, false, 0.16);
const STEPS = opt('correctorSteps', 1, 100, true, 5);
const LIST = [
  info('langevin', 'langevin', [SNR, STEPS]),
  info('euler', 'ode'),
  info('dopri5', 'ode', [opt('rtol', 1e-10, 1, false, 1e-5)], 'adaptive'),
  info('em', 'sde', [GAMMA]),
  info('pc', 'sde', [GAMMA, SNR, { ...STEPS, min: 0, default: 1 }]),
];

describe('sampler choices', () => {
  it('puts every sampler in a group of its kind, kinds in their declared order, adaptive ODE solvers apart, none empty', () => {
    const groups = samplerGroups(LIST);
    expect(groups.map((g) => [g.key, g.label, g.panel, g.samplers.map((s) => s.name)])).toEqual([
      ['ode', 'ODE', 'ode', ['euler']],
      ['ode-adaptive', 'ODE, adaptive steps', 'ode', ['dopri5']],
      ['sde', 'SDE', 'sde', ['em', 'pc']],
      ['langevin', 'Langevin', 'sde', ['langevin']],
    ]);
  });

  it('shows a field for each option but the gamma the slider sets on the right', () => {
    const pc = LIST[4];
    expect(optionFields(pc, 'sde').map((o) => o.name)).toEqual(['snr', 'correctorSteps']);
    expect(optionFields(pc, 'ode').map((o) => o.name)).toEqual(['gamma', 'snr', 'correctorSteps']);
    expect(optionFields(undefined, 'sde')).toEqual([]);
  });

  it('a request sets the slider gamma (0 on the left) and only the values typed for that sampler', () => {
    const pc = LIST[4];
    expect(requestOptions(pc, 'sde', undefined, 0.4)).toEqual({ gamma: 0.4 });
    expect(requestOptions(pc, 'ode', { snr: 0.3, eta: 0.5 }, 0.4)).toEqual({ gamma: 0, snr: 0.3 });
    expect(requestOptions(LIST[1], 'ode', { snr: 0.3 }, 0.4)).toEqual({});
  });

  it('reads typed text against the range the studio declares, in the field\u2019s words', () => {
    const steps = optionField({ ...STEPS, label: 'Corrector steps' });
    expect(steps).toEqual({ label: 'Corrector steps', min: 1, max: 100, integer: true, step: 1 });
    expect(readNumber(steps, '3')).toEqual({ value: 3 });
    expect(readNumber(steps, '2.5')).toEqual({ problem: 'Corrector steps must be a whole number from 1 to 100; 2.5 is not.' });
    expect(readNumber(steps, '0')).toEqual({ problem: 'Corrector steps must be at least 1; 0 is below.' });
    const rtol = optionField({ ...LIST[2].options[0], label: 'Relative tolerance' });
    expect(rtol.step).toBe('any');
    expect(readNumber(rtol, '0')).toEqual({ problem: 'Relative tolerance must be at least 1e-10; 0 is below.' });
  });
});
