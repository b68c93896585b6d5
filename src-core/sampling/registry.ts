// The sampler registry: every sampler under its name with the metadata a UI needs.
import { Registry } from '../registry';
import { annealedLangevin } from './annealed-langevin';
import { ddim } from './ddim';
import { ddpm } from './ddpm';
import { dopri5 } from './dopri5';
import { dpmpp2m } from './dpmpp-2m';
import { euler } from './euler';
import { eulerMaruyama } from './euler-maruyama';
import { heun } from './heun';
import { pc } from './pc';
import { rk4 } from './rk4';
import type { SamplerSpec } from './types';

/** Registered samplers; registering a name twice throws. */
export const samplers = new Registry<SamplerSpec>('sampler');

samplers.register('euler', { label: 'Euler (PF-ODE)', kind: 'ode', nfePerStep: 1, options: [], stochastic: false, run: euler });
samplers.register('heun', { label: 'Heun (PF-ODE)', kind: 'ode', nfePerStep: 2, options: [], stochastic: false, run: heun });
samplers.register('rk4', { label: 'Runge–Kutta 4 (PF-ODE)', kind: 'ode', nfePerStep: 4, options: [], stochastic: false, run: rk4 });
samplers.register('dopri5', {
  label: 'Dormand–Prince 5(4), adaptive', kind: 'ode', nfePerStep: 'adaptive', options: ['rtol', 'atol', 'maxNfe'], stochastic: false, run: dopri5,
});
samplers.register('ddim', { label: 'DDIM', kind: 'ode', nfePerStep: 1, options: ['eta'], stochastic: true, run: ddim });
samplers.register('dpmpp-2m', { label: 'DPM-Solver++(2M)', kind: 'ode', nfePerStep: 1, options: [], stochastic: false, run: dpmpp2m });
samplers.register('euler-maruyama', {
  label: 'Euler–Maruyama (gamma family)', kind: 'sde', nfePerStep: 1, options: ['gamma'], stochastic: true, run: eulerMaruyama,
});
samplers.register('ddpm', { label: 'DDPM ancestral', kind: 'ancestral', nfePerStep: 1, options: [], stochastic: true, run: ddpm });
samplers.register('pc', {
  label: 'Predictor–corrector', kind: 'sde', nfePerStep: 2, options: ['gamma', 'snr', 'correctorSteps'], stochastic: true, run: pc,
});
samplers.register('annealed-langevin', {
  label: 'Annealed Langevin dynamics', kind: 'langevin', nfePerStep: 5, options: ['snr', 'correctorSteps'], stochastic: true, run: annealedLangevin,
});
