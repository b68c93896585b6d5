// Einsum row for two operands in explicit form ("bic,bjc->bij"): batched matrix products with either side transposed.
import { StudioError } from '../../errors';
import { asFloat, formatShape, sizeOf, stridesOf } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';
import type { Attrs, Dim } from '../types';

/** The three index strings of a two-operand equation. */
interface EinsumTerms {
  readonly a: string;
  readonly b: string;
  readonly out: string;
}

/**
 * Parses "a,b->out". Every letter must appear in at least two of the three terms and at most once in each, so the op
 * is a (batched) matrix product: its gradients are einsums of the same kind and tfjs can run it as one batched matMul.
 */
function parseEinsum(equation: string): EinsumTerms {
  const m = /^([a-z]+),([a-z]+)->([a-z]*)$/.exec(equation.replace(/\s+/g, ''));
  if (!m) throw new StudioError('invalid-argument', `Einsum equation '${equation}' must have the form 'ab,bc->ac' (two operands, lowercase letters, explicit output)`);
  const [, a, b, out] = m;
  for (const term of [a, b, out]) {
    if (new Set(term).size !== term.length) throw new StudioError('invalid-argument', `Einsum equation '${equation}': a letter repeats within '${term}'`);
  }
  for (const ch of new Set(a + b + out)) {
    const count = [a, b, out].filter((t) => t.includes(ch)).length;
    if (count < 2) throw new StudioError('invalid-argument', `Einsum equation '${equation}': index '${ch}' must appear in at least two terms`);
  }
  return { a, b, out };
}

/** The equation attribute of a node, parsed. */
export function einsumTerms(attrs: Attrs): EinsumTerms {
  const e = attrs.equation;
  if (!e || e.kind !== 'string') throw new StudioError('invalid-argument', 'Einsum needs a string attribute equation');
  return parseEinsum(e.value);
}

function letterSizes<D>(t: EinsumTerms, a: readonly D[], b: readonly D[], mismatch: (ch: string) => never): Map<string, D> {
  const sizes = new Map<string, D>();
  const bind = (term: string, shape: readonly D[]) =>
    [...term].forEach((ch, i) => {
      const had = sizes.get(ch);
      if (had !== undefined && had !== shape[i]) mismatch(ch);
      sizes.set(ch, shape[i]);
    });
  bind(t.a, a);
  bind(t.b, b);
  return sizes;
}

/** The Einsum row of the op table. */
export const einsumOp: OpDef = {
  op: 'Einsum',
  arity: [2, 2],
  attrs: ['equation'],
  infer(ctx) {
    expectDtype(ctx, 0, 'float32');
    expectDtype(ctx, 1, 'float32');
    const t = einsumTerms(ctx.node.attrs);
    const [a, b] = ctx.inputs;
    if (a.shape.length !== t.a.length || b.shape.length !== t.b.length) shapeError(ctx.node, `operands ${formatShape(a.shape)} and ${formatShape(b.shape)} do not match '${t.a},${t.b}'`);
    const sizes = letterSizes<Dim>(t, a.shape, b.shape, (ch) => shapeError(ctx.node, `index '${ch}' has different sizes in ${formatShape(a.shape)} and ${formatShape(b.shape)}`));
    return [{ dtype: 'float32', shape: [...t.out].map((ch) => sizes.get(ch) as Dim) }];
  },
  evaluate(inputs, attrs) {
    const t = einsumTerms(attrs);
    const a = asFloat(inputs[0], 'Einsum A');
    const b = asFloat(inputs[1], 'Einsum B');
    const sizes = letterSizes<number>(t, a.shape, b.shape, (ch) => {
      throw new StudioError('invalid-shape', `Einsum index '${ch}' has different sizes`);
    });
    const letters = [...sizes.keys()];
    const dims = letters.map((ch) => sizes.get(ch) as number);
    const outShape = [...t.out].map((ch) => sizes.get(ch) as number);
    // the stride of every letter in each operand (0 where the letter is absent)
    const strideIn = (term: string, shape: readonly number[]) => {
      const s = stridesOf(shape);
      return letters.map((ch) => (term.includes(ch) ? s[term.indexOf(ch)] : 0));
    };
    const [sa, sb, so] = [strideIn(t.a, a.shape), strideIn(t.b, b.shape), strideIn(t.out, outShape)];
    const acc = new Float64Array(sizeOf(outShape));
    const idx = new Array<number>(letters.length).fill(0);
    const total = sizeOf(dims);
    for (let k = 0; k < total; k++) {
      let ia = 0;
      let ib = 0;
      let io = 0;
      for (let l = 0; l < letters.length; l++) {
        ia += idx[l] * sa[l];
        ib += idx[l] * sb[l];
        io += idx[l] * so[l];
      }
      acc[io] += a.data[ia] * b.data[ib];
      for (let l = letters.length - 1; l >= 0; l--) {
        if (++idx[l] < dims[l]) break;
        idx[l] = 0;
      }
    }
    return [{ dtype: 'float32', shape: outShape, data: Float32Array.from(acc) }];
  },
};
