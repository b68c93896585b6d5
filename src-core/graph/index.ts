// Public surface of the graph IR: types, op table, builder, evaluator, parameter layout and model families.
export type * from './types';
export { opTable } from './ops';
export { int, float, ints, str } from './attrs';
export { floatTensor, int64Tensor, sizeOf } from './tensor';
export { evaluateGraph } from './evaluate';
export { GraphBuilder, type BuiltGraph } from './builder';
export { initParams, type ParamLayout } from './param-layout';
export { buildMlp, type MlpModel, type MlpOptions } from './families/mlp';
