// The sampling client that the studio's host (Electron main, the server) runs does no numerical work: its modules import
// no sampler, oracle, likelihood, model adapter or ONNX Runtime code; that all lives in the sampling process.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/** The modules the host loads for sampling. */
const HOST = ['src-main/sampling/sampling-service.ts', 'src-main/sampling/child-runner.ts', 'src-main/sampling/worker-protocol.ts', 'src-main/sampling/sampling-backend.ts', 'src-main/sampling/live-model.ts'];

/** Modules (paths from the root, without extension) whose code computes samples, densities or predictions. */
const NUMERICAL = [
  /^src-core\/oracle/, /^src-core\/likelihood/, /^src-core\/sampling\/(?!index$)/, /^src-main\/ort\//,
  /^src-main\/sampling\/(sampling-job|in-process-backend|finite-guard|likelihood-run|onnx-model|onnx-runner)$/,
];
const SAMPLING_ENTRY = 'src-core/sampling/index';
/** The only values the host takes from the samplers' public entry: the registry (names, options, nfe per step) and the option names. */
const REGISTRY_ONLY = new Set(['samplers', 'SAMPLER_OPTION_NAMES']);

/** Each value import of a module: the imported module's path from the root (no extension; a folder as its index), and the names taken ('*' for a namespace or a side effect). */
function valueImports(file: string, text: string): { from: string; names: string[] }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: { from: string; names: string[] }[] = [];
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const clause = s.importClause;
    if (clause?.isTypeOnly) continue;
    const spec = s.moduleSpecifier.text;
    const path = spec.startsWith('.') ? relative('.', normalize(join(dirname(file), spec))).replace(/\.ts$/, '') : spec;
    const from = path === 'src-core/sampling' ? SAMPLING_ENTRY : path;
    const bindings = clause?.namedBindings;
    const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : ['*'];
    if (clause?.name) names.push('default');
    if (names.length > 0) out.push({ from, names });
  }
  return out;
}

/** What a module imports that does numerical work, as 'module: names'. */
function numericalImports(file: string, text: string): string[] {
  return valueImports(file, text).flatMap(({ from, names }) => {
    if (NUMERICAL.some((r) => r.test(from))) return [`${from}: ${names.join(', ')}`];
    const beyond = from === SAMPLING_ENTRY ? names.filter((n) => !REGISTRY_ONLY.has(n)) : [];
    return beyond.length ? [`${from}: ${beyond.join(', ')}`] : [];
  });
}

describe("the sampling host's imports", () => {
  it('hold no sampler loop, oracle, likelihood, model adapter or ONNX Runtime code', () => {
    for (const file of HOST) expect(numericalImports(file, readFileSync(file, 'utf8')), file).toEqual([]);
  });

  it('are caught when a host module takes the loop, the oracle or more than the registry', () => {
    const file = 'src-main/sampling/sampling-service.ts';
    const text = [
      "import { sample, samplers } from '../../src-core/sampling';",
      "import { createOracle } from '../../src-core/oracle';",
      "import { runSamplingJob } from './sampling-job';",
      "import type { OnnxRunner } from './onnx-runner';",
      "import { createInProcessRunner } from './onnx-runner';",
      "import { type StepInfo, SAMPLER_OPTION_NAMES } from '../../src-core/sampling';",
    ].join('\n');
    expect(numericalImports(file, text)).toEqual([
      'src-core/sampling/index: sample',
      'src-core/oracle: createOracle',
      'src-main/sampling/sampling-job: runSamplingJob',
      'src-main/sampling/onnx-runner: createInProcessRunner',
    ]);
  });
});
