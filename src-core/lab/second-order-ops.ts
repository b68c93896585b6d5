// The tfjs op table with activations whose gradients read only their inputs, so that tfjs can differentiate a gradient again (the CNF's divergence).
import * as tf from '@tensorflow/tfjs-core';
import { Registry } from '../registry';
import { TFJS_OP_ROWS, type TfjsOpCompiler } from '../training/tfjs';

// tfjs keeps the copy of an op's output that its gradient reads (tanh, sigmoid, exp) on the tape *before* the op
// itself, so a second backward pass visits them in the wrong order and drops every term through that output (the
// parameter gradient of a tanh network's divergence came out wrong in size and sign against central differences).
// These rows keep the input instead and recompute the output inside the gradient, which tfjs differentiates correctly.

/** f with the gradient dy * df(x), df built from x alone. */
function fromInput(f: (x: tf.Tensor) => tf.Tensor, df: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return { value: f(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, df(saved[0]))] };
  });
  return (x) => op(x) as tf.Tensor;
}

const sigmoid = fromInput(tf.sigmoid, (x) => {
  const s = tf.sigmoid(x);
  return tf.mul(s, tf.sub(1, s));
});
const tanh = fromInput(tf.tanh, (x) => tf.sub(1, tf.square(tf.tanh(x))));
const exp = fromInput(tf.exp, tf.exp);

const OVERRIDES: Readonly<Record<string, TfjsOpCompiler>> = {
  Sigmoid: () => (ins) => sigmoid(ins[0]),
  Tanh: () => (ins) => tanh(ins[0]),
  Exp: () => (ins) => exp(ins[0]),
};

/** The tfjs op table with the rows above in place of tfjs's own Sigmoid, Tanh and Exp; every other row as it is. */
export const secondOrderOpTable: Registry<TfjsOpCompiler> = new Registry<TfjsOpCompiler>('tfjs op (second order)');
for (const [op, compile] of TFJS_OP_ROWS) secondOrderOpTable.register(op, OVERRIDES[op] ?? compile);
