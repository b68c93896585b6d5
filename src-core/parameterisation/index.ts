// Public entry of the parameterisations: conversions, model calls, loss targets, weightings and the posterior.
export { PARAMETERISATIONS, type Parameterisation } from '../model';
export {
  parameterisationRegistry,
  parameterisationRule,
  isParameterisation,
  pathCoefficients,
  type ParameterisationRule,
  type PathCoefficients,
  type Pair,
} from './rules';
export { conversionCoefficients, convertPrediction, toX0Eps } from './convert';
export { predictAs, predictX0Eps } from './predict';
export { noisyInput, lossTarget, checkRows } from './loss';
export { LOSS_WEIGHTINGS, lossWeight, lossWeights, type LossWeighting } from './weighting';
export { posteriorCoefficients, type PosteriorCoefficients } from './posterior';
