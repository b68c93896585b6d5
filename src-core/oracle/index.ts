// The analytic Gaussian-mixture oracle: public API.
export { createOracle, type Oracle } from './oracle';
export { gaussianFlowMap } from './flow-map';
export { gaussianMixtureSchema, parseMixture, sampleMixture, factorMixture, type GaussianMixture } from './mixture';
