// Public entry of the parameterisations: conversions, model calls, loss targets, weightings and the posterior.
export { parameterisationRule, pathCoefficients } from './rules';
export { conversionCoefficients, convertPrediction, toX0Eps } from './convert';
export { predictAs, predictX0Eps } from './predict';
export { noisyInput, lossTarget } from './loss';
export { LOSS_WEIGHTINGS, lossWeight, lossWeights } from './weighting';
export { posteriorCoefficients } from './posterior';
