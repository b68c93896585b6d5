// Transpose row: permutes dimensions (default: reverses them).
import { StudioError } from '../../errors';
import { attrInts } from '../attrs';
import { remapTensor, stridesOf } from '../tensor';
import type { OpDef } from '../op-def';

function permutation(perm: readonly number[] | undefined, rank: number): number[] {
  const p = perm ? [...perm] : Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== rank || sorted.some((v, i) => v !== i)) throw new StudioError('invalid-argument', `Transpose perm [${p.join(', ')}] is not a permutation of rank ${rank}`);
  return p;
}

/** The Transpose row of the op table. */
export const transposeOp: OpDef = {
  op: 'Transpose',
  arity: [1, 1],
  attrs: ['perm'],
  infer({ node, inputs }) {
    const p = permutation(attrInts(node.attrs, 'perm'), inputs[0].shape.length);
    return [{ dtype: inputs[0].dtype, shape: p.map((i) => inputs[0].shape[i]) }];
  },
  evaluate([x], attrs) {
    const p = permutation(attrInts(attrs, 'perm'), x.shape.length);
    const shape = p.map((i) => x.shape[i]);
    const inStrides = stridesOf(x.shape);
    const outStrides = stridesOf(shape);
    return [
      remapTensor(x, shape, (i) => {
        let src = 0;
        let r = i;
        for (let d = 0; d < shape.length; d++) {
          const q = Math.floor(r / outStrides[d]);
          r -= q * outStrides[d];
          src += q * inStrides[p[d]];
        }
        return src;
      }),
    ];
  },
};
