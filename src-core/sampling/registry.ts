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
import type { SamplerOptionSpec, SamplerSpec } from './types';

// Options read by several samplers, declared once; a sampler that differs in a bound or default says so where it registers.
const GAMMA: SamplerOptionSpec = {
  name: 'gamma', label: 'γ, SDE noise scale', integer: false, min: 0, max: 100, default: 1,
  meaning: 'eta_t = gamma g_t: 0 is the probability-flow ODE, 1 the reverse SDE; every gamma keeps the marginals p_t',
};
const SNR: SamplerOptionSpec = {
  name: 'snr', label: 'Langevin snr r', integer: false, min: 0.001, max: 1, default: 0.16,
  meaning: 'signal-to-noise ratio that sizes each Langevin step: e = 2 (r |z| / |score|)^2',
};
const CORRECTOR_STEPS: SamplerOptionSpec = {
  name: 'correctorSteps', label: 'Corrector steps', integer: true, min: 0, max: 100, default: 1,
  meaning: 'Langevin steps at each noise level (each one network evaluation)',
};

/** Registered samplers; registering a name twice throws. */
export const samplers = new Registry<SamplerSpec>('sampler');

samplers.register('euler', { label: 'Euler (PF-ODE)', kind: 'ode', nfePerStep: 1, options: [], stochastic: false, run: euler });
samplers.register('heun', { label: 'Heun (PF-ODE)', kind: 'ode', nfePerStep: 2, options: [], stochastic: false, run: heun });
samplers.register('rk4', { label: 'Runge–Kutta 4 (PF-ODE)', kind: 'ode', nfePerStep: 4, options: [], stochastic: false, run: rk4 });
samplers.register('dopri5', {
  label: 'Dormand–Prince 5(4), adaptive', kind: 'ode', nfePerStep: 'adaptive', stochastic: false, run: dopri5,
  options: [
    { name: 'rtol', label: 'Relative tolerance', integer: false, min: 1e-10, max: 1, default: 1e-5, meaning: 'error allowed in a step, relative to the size of the state' },
    { name: 'atol', label: 'Absolute tolerance', integer: false, min: 1e-10, max: 1, default: 1e-5, meaning: 'error allowed in a step where the state is near zero' },
    // 7: one accepted step's evaluations
    { name: 'maxNfe', label: 'Most evaluations', integer: true, min: 7, max: 1_000_000, default: 10_000, meaning: 'evaluation budget; a run that needs more fails, saying so' },
  ],
});
// Deterministic at its default eta = 0 (the DDIM map, an ODE solver); eta > 0 draws noise, and eta = 1 is DDPM's posterior.
samplers.register('ddim', {
  label: 'DDIM', kind: 'ode', nfePerStep: 1, stochastic: false, noiseWhen: { option: 'eta', above: 0 }, run: ddim,
  options: [
    { name: 'eta', label: 'η, DDIM noise', integer: false, min: 0, max: 1, default: 0, meaning: '0 is the deterministic DDIM map, 1 draws from the DDPM posterior (ancestral)' },
  ],
});
samplers.register('dpmpp-2m', { label: 'DPM-Solver++(2M)', kind: 'ode', nfePerStep: 1, options: [], stochastic: false, run: dpmpp2m });
samplers.register('euler-maruyama', {
  label: 'Euler–Maruyama (gamma family)', kind: 'sde', nfePerStep: 1, options: [GAMMA], stochastic: true, run: eulerMaruyama,
});
samplers.register('ddpm', { label: 'DDPM ancestral', kind: 'ancestral', nfePerStep: 1, options: [], stochastic: true, run: ddpm });
samplers.register('pc', {
  label: 'Predictor–corrector', kind: 'sde', nfePerStep: 2, options: [GAMMA, SNR, CORRECTOR_STEPS], stochastic: true, run: pc,
});
// At least one Langevin step per level: with none the state would never move.
samplers.register('annealed-langevin', {
  label: 'Annealed Langevin dynamics', kind: 'langevin', nfePerStep: 5, options: [SNR, { ...CORRECTOR_STEPS, min: 1, default: 5 }], stochastic: true, run: annealedLangevin,
});
