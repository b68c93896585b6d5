// The gradient table: every op rule registered once under its op name (a second registration throws).
import { Registry } from '../registry';
import type { GradRule } from './grad-rule';
import { binaryGradRules } from './rules/binary';
import { concatGradRule } from './rules/concat';
import { gatherGradRule } from './rules/gather';
import { gemmGradRule } from './rules/gemm';
import { matMulGradRule } from './rules/matmul';
import { reduceMeanGradRule, reduceSumGradRule } from './rules/reduce';
import { reshapeGradRule, transposeGradRule, unsqueezeGradRule } from './rules/reshape';
import { unaryGradRules } from './rules/unary';
import { einsumGradRule, expandGradRule, softmaxGradRule } from './rules/attention';
import { convGradRule } from './rules/conv';
import { instanceNormGradRule } from './rules/instance-norm';
import { padGradRule } from './rules/pad';

/** Every gradient rule, one per differentiable op of the model families. */
export const GRAD_RULES: readonly GradRule[] = [
  ...unaryGradRules,
  ...binaryGradRules,
  gemmGradRule,
  matMulGradRule,
  concatGradRule,
  reshapeGradRule,
  unsqueezeGradRule,
  transposeGradRule,
  reduceSumGradRule,
  reduceMeanGradRule,
  gatherGradRule,
  // the U-Net's ops
  convGradRule,
  einsumGradRule,
  softmaxGradRule,
  expandGradRule,
  instanceNormGradRule,
  padGradRule,
];

/** A fresh gradient table from rules; a repeated op throws duplicate-name. */
export function createGradTable(rules: readonly GradRule[] = GRAD_RULES): Registry<GradRule> {
  const table = new Registry<GradRule>('gradient rule');
  for (const r of rules) table.register(r.op, r);
  return table;
}

/** The studio's gradient table. */
export const gradTable: Registry<GradRule> = createGradTable();
