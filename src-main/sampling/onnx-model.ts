// The Model adapter over an ONNX model file: feeds x, a broadcast t and the labels; returns the raw prediction (normalisation is undone by the service on the final samples).
import { StudioError } from '../../src-core/errors';
import type { Model } from '../../src-core/model';
import { createSchedule } from '../../src-core/schedules';
import { guidedModel } from '../../src-core/sampling';
import type { OnnxModelHandle, OnnxRunner } from './onnx-runner';

/** A Model whose predictions come from an opened ONNX model; labels (one per row) are required for class-conditional models. */
export function onnxModel(runner: OnnxRunner, handle: OnnxModelHandle, labels: BigInt64Array | null = null): Model {
  if (labels && !handle.conditional) throw new StudioError('invalid-argument', `model ${handle.path} is not class-conditional: it takes no labels`);
  const schedule = createSchedule(handle.meta.schedule);
  return {
    parameterisation: handle.meta.parameterisation,
    schedule,
    async predict(x, t) {
      const n = x.shape[0];
      if (labels && labels.length !== n) throw new StudioError('invalid-shape', `${labels.length} labels for a batch of ${n}`);
      const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
      const y = handle.conditional ? (labels ?? new BigInt64Array(n).fill(BigInt(handle.meta.classes?.nullClass ?? 0))) : null;
      return runner.predict(handle, { x: data, shape: x.shape, t, labels: y });
    },
  };
}

/**
 * The model to sample from an opened file: unconditional models as they are; conditional ones with the given labels,
 * guided by weight w against the null label (w = 1: the plain conditional model); without labels, the null label alone.
 */
export function samplingModel(runner: OnnxRunner, handle: OnnxModelHandle, labels: Int32Array | null, guidance?: number): Model {
  if (!handle.conditional) {
    if (labels) throw new StudioError('invalid-argument', `model ${handle.path} is not class-conditional: it takes no labels`);
    if (guidance !== undefined && guidance !== 1) throw new StudioError('invalid-argument', `model ${handle.path} is not class-conditional: guidance does not apply`);
    return onnxModel(runner, handle);
  }
  const classes = handle.meta.classes;
  if (!classes || !labels) return onnxModel(runner, handle);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || (labels[i] >= classes.count && labels[i] !== classes.nullClass)) {
      throw new StudioError('invalid-argument', `label [${i}] = ${labels[i]} is not a class of the model (0..${classes.count - 1}, ${classes.nullClass} for none)`);
    }
  }
  const cond = onnxModel(runner, handle, BigInt64Array.from(labels, (v) => BigInt(v)));
  const w = guidance ?? classes.guidance;
  if (w === 1) return cond;
  return guidedModel(cond, onnxModel(runner, handle, new BigInt64Array(labels.length).fill(BigInt(classes.nullClass))), w);
}
