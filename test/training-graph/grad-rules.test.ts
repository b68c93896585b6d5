// Every gradient rule against central differences of the reference evaluator, and one rule per op the model families use.
import { describe, expect, it } from 'vitest';
import { buildMlp, type MlpOptions } from '../../src-core/graph';
import { GRAD_RULES, createGradTable, gradTable } from '../../src-core/training-graph';
import { RULE_CASES, checkRule } from './rule-cases';

// Models of every family option: time embeddings, residual, classes, activations.
const FAMILY_OPTIONS: readonly MlpOptions[] = [
  { dataDim: 2, hidden: [8, 8], timeEmbedding: { kind: 'raw' } },
  { dataDim: 2, hidden: [8, 8], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, residual: true, classes: 3, activation: 'relu' },
  { dataDim: 3, hidden: [8], timeEmbedding: { kind: 'fourier', dim: 4, scale: 1 }, activation: 'tanh' },
];

describe('gradient table', () => {
  it('has exactly one rule for every op the model families use', () => {
    const used = new Set(FAMILY_OPTIONS.flatMap((o) => buildMlp(o).graph.nodes.map((n) => n.op)));
    for (const op of used) expect(GRAD_RULES.filter((r) => r.op === op).map((r) => r.op), op).toEqual([op]);
    expect(() => createGradTable([...GRAD_RULES, GRAD_RULES[0]])).toThrow(/already registered/);
  });
  it('has a central-difference case for every rule', () => {
    const covered = new Set(RULE_CASES.map((c) => c.op));
    expect(gradTable.names().filter((op) => !covered.has(op))).toEqual([]);
  });
});

// Tolerance: float32 evaluation with h = 1e-2. Truncation h^2 |f'''| / 6 stays below ~2e-4 on these input
// ranges (|f'''| <= e^2.5 for Exp/Pow), round-off about 1e-7 |S| / h ~ 1e-5; a wrong rule (sign, factor,
// missing broadcast sum) errs by O(1). So 1e-3 of (1 + |gradient|).
describe('gradient rules match central differences', () => {
  RULE_CASES.forEach((c, k) => {
    it(c.name, () => {
      const { worst, checked } = checkRule(c, 100 + k);
      expect(checked).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-3);
    });
  });
});
