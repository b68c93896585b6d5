// Emitter: a GraphBuilder with fresh names, cached constants and the small shape helpers every gradient rule uses.
import { StudioError } from '../errors';
import { int } from '../graph/attrs';
import { GraphBuilder } from '../graph/builder';
import { floatTensor, int64Tensor } from '../graph/tensor';
import type { Attrs, Shape, Tensor, ValueType } from '../graph/types';

/** Writes training-graph nodes; every helper returns the name of the value it made. */
export class Emitter {
  readonly b: GraphBuilder;
  private readonly constants = new Map<string, Tensor>();
  private readonly cache = new Map<string, string>();
  private counter = 0;
  /** The forward node whose gradient is being written; fresh names carry it, so a profile maps time to rules. */
  scope = '';

  constructor(name: string) {
    this.b = new GraphBuilder(name);
  }

  /** A one-output node with a fresh name (or the given one). */
  op(op: string, inputs: readonly string[], attrs: Attrs = {}, name?: string): string {
    return this.b.node(op, inputs, { attrs, name: name ?? `tg.${this.scope === '' ? '' : `${this.scope}/`}${op.toLowerCase()}_${this.counter++}` });
  }

  /** Adds a named constant and remembers its value (rules read axes and shapes back). */
  constant(name: string, tensor: Tensor): string {
    this.constants.set(name, tensor);
    return this.b.constant(name, tensor);
  }

  /** The value of a constant, or undefined when the name is not one. */
  constantValue(name: string): Tensor | undefined {
    return this.constants.get(name);
  }

  /** A float32 scalar constant (shape []), shared between uses of the same value. */
  scalar(value: number): string {
    return this.cached(`f:${value}`, () => floatTensor([value], []));
  }

  /** A 1-D int64 constant (axes, shapes, slice bounds), shared between uses. */
  ints(values: readonly number[]): string {
    return this.cached(`i:${values.join(',')}`, () => int64Tensor(values, [values.length]));
  }

  /** A float32 constant of any shape, shared between uses of equal content (hashed by the caller's key). */
  floats(key: string, make: () => Tensor): string {
    return this.cached(`t:${key}`, make);
  }

  private cached(key: string, make: () => Tensor): string {
    let name = this.cache.get(key);
    if (!name) {
      name = this.constant(`tg.const_${this.cache.size}`, make());
      this.cache.set(key, name);
    }
    return name;
  }

  /** The inferred type of a value. */
  typeOf(value: string): ValueType {
    return this.b.typeOf(value);
  }

  /** Reshapes to a shape that may hold one symbolic dimension (written as -1). */
  reshapeTo(value: string, shape: Shape): string {
    const symbols = shape.filter((d) => typeof d === 'string');
    if (symbols.length > 1) throw new StudioError('invalid-shape', `cannot reshape to [${shape.join(', ')}]: more than one symbolic dimension`);
    const from = this.typeOf(value).shape;
    // same rank, same fixed sizes and the one symbol in the same place: already that shape
    const same = from.length === shape.length && from.every((d, i) => (typeof d === 'string' ? typeof shape[i] === 'string' : d === shape[i]));
    if (same && from.filter((d) => typeof d === 'string').length <= 1) return value;
    return this.op('Reshape', [value, this.ints(shape.map((d) => (typeof d === 'string' ? -1 : d)))]);
  }

  /**
   * A float32 vector of ones as long as the first axis of `value` (shared per length): a row vector that sums rows
   * through a matrix product. A symbolic length is read off `value` at run time (its first column raised to the power 0).
   */
  onesAlongRows(value: string): string {
    const rows = this.typeOf(value).shape[0];
    if (typeof rows === 'number') return this.floats(`ones:${rows}`, () => floatTensor(new Float32Array(rows).fill(1), [rows]));
    let name = this.cache.get(`ones:${rows}`);
    if (!name) {
      const column = this.op('Slice', [value, this.ints([0]), this.ints([1]), this.ints([1])]);
      name = this.reshapeTo(this.op('Pow', [column, this.scalar(0)]), [rows]);
      this.cache.set(`ones:${rows}`, name);
    }
    return name;
  }

  /** Sums a gradient of a broadcast result back to an input's shape (leading axes dropped, size-1 axes kept). */
  reduceTo(grad: string, shape: Shape): string {
    const from = this.typeOf(grad).shape;
    const lead = from.length - shape.length;
    if (lead < 0) throw new StudioError('invalid-shape', `gradient [${from.join(', ')}] has lower rank than [${shape.join(', ')}]`);
    // a bias's gradient, [N, C] summed over rows: ones [N] @ g is one small product, where ReduceSum over the
    // leading axis measured 3-4 times slower in ONNX Runtime at N = 256 (bench/step-profile.ts)
    if (from.length === 2 && lead === 1 && from[1] === shape[0]) return this.op('MatMul', [this.onesAlongRows(grad), grad]);
    let g = grad;
    if (lead > 0) g = this.op('ReduceSum', [g, this.ints(Array.from({ length: lead }, (_, i) => i))], { keepdims: int(0) });
    const ones = shape.flatMap((d, i) => (d === 1 && from[i + lead] !== 1 ? [i] : []));
    if (ones.length > 0) g = this.op('ReduceSum', [g, this.ints(ones)], { keepdims: int(1) });
    return g;
  }
}
