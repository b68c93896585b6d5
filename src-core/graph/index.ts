// Public surface of the graph IR: types, op table, builder, evaluator, parameter layout and model families.
export type * from './types';
export type { InferContext, OpDef } from './op-def';
export { OP_ROWS, createOpTable, opTable } from './ops';
export { int, float, ints, floats, str } from './attrs';
export { floatTensor, int64Tensor, sizeOf, formatShape } from './tensor';
export { inferGraph } from './infer';
export { evaluateGraph } from './evaluate';
export { GraphBuilder, type BuiltGraph, type NodeOptions } from './builder';
export { initParams, paramSlice, type ParamEntry, type ParamInit, type ParamLayout } from './param-layout';
export { buildMlp, type Activation, type MlpModel, type MlpOptions } from './families/mlp';
export { timeEmbeddingDim, type TimeEmbedding } from './families/time-embedding';
