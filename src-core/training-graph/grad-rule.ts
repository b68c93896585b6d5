// The shape of one op's gradient rule, declared as data: which forward values it reads and one VJP builder per input.
import { StudioError } from '../errors';
import type { GraphNode, Tensor, ValueType } from '../graph/types';
import type { Emitter } from './emitter';

/** What a VJP builder sees: the forward node, the output's gradient and the forward values the rule declared. */
export interface GradContext {
  readonly e: Emitter;
  readonly node: GraphNode;
  /** Gradient of the loss with respect to the node's output. */
  readonly dy: string;
  /** Training-graph name of forward input i; throws unless the rule declared it in inputsToSave. */
  input(i: number): string;
  /** Training-graph name of the forward output; throws unless the rule set saveOutput. */
  output(): string;
  /** Static type of forward input i (types are always available; they cost nothing at run time). */
  inputType(i: number): ValueType;
  /** Static type of the forward output. */
  outputType(): ValueType;
  /** The value of input i when it is a graph constant (axes, shapes), else undefined. */
  constant(i: number): Tensor | undefined;
  /** The forward node that computed input i (undefined for inputs, parameters and constants): lets a rule see a pattern. */
  producer(i: number): GraphNode | undefined;
}

/**
 * Emits the vector–Jacobian product for one input and returns its name (already reduced to the input's shape), or
 * undefined where a sibling input's VJP already carries this path's whole contribution (a fused pattern).
 */
type VjpBuilder = (ctx: GradContext, i: number) => string | undefined;

/** One op's gradient rule, in the shape of tfjs's gradient configs. */
export interface GradRule {
  readonly op: string;
  /** Forward inputs the VJPs read (by position). */
  readonly inputsToSave: readonly number[];
  /** Whether the VJPs read the forward output (sigmoid, tanh, exp, sqrt reuse it). */
  readonly saveOutput: boolean;
  /** One builder per input (null: no gradient flows, e.g. indices or shapes); a single builder serves every input of a variadic op. */
  readonly vjp: readonly (VjpBuilder | null)[] | VjpBuilder;
}

/** The builder for input i of a rule, or null where no gradient flows. */
export function vjpFor(rule: GradRule, i: number): VjpBuilder | null {
  if (typeof rule.vjp === 'function') return rule.vjp;
  if (i >= rule.vjp.length) throw new StudioError('invalid-argument', `gradient rule ${rule.op} has no entry for input ${i}`);
  return rule.vjp[i];
}
