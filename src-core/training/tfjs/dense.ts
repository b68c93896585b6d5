// x @ W (+ bias) for tfjs with a hand-written gradient that feeds plain, untransposed matMuls to the kernels.
import * as tf from '@tensorflow/tfjs-core';

/** How the gradient of a matrix product is formed: tfjs's own rule, or the custom one below. */
export type MatMulGradient = 'tfjs' | 'custom';

// tfjs's rule computes dA = matMul(dy, B, false, true) and dB = matMul(A, dy, true, false). The wasm backend
// handles those transpose flags far more slowly than an explicit transpose followed by a plain product (the
// bench measures the difference), so the custom rule transposes first. The forward pass is the same product.
const denseCustom = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, w]);
  return {
    value: tf.matMul(a, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(sw)), tf.matMul(tf.transpose(sa), dy2)];
    },
  };
});

const denseBiasCustom = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, w, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([a, w]);
  return {
    // one fused kernel (product plus bias) where the backend has it
    value: tf.fused.matMul({ a, b: w, bias }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(sw)), tf.matMul(tf.transpose(sa), dy2), tf.sum(dy2, 0)];
    },
  };
});

/** a [M, K] @ w [K, N], optionally + bias [N], with the chosen gradient rule. */
export function dense(a: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D | null, gradient: MatMulGradient): tf.Tensor2D {
  if (gradient === 'custom') {
    return (bias ? denseBiasCustom(a, w, bias) : denseCustom(a, w)) as tf.Tensor2D;
  }
  const y: tf.Tensor2D = tf.matMul(a, w);
  return bias ? tf.add<tf.Tensor2D>(y, bias) : y;
}
