// The learning rate at each step: linear warm-up, then constant or cosine decay to minLr.
import type { TrainingConfig } from '../config';

/** The optimiser fields the schedule reads. */
type LrSettings = Pick<TrainingConfig['optimiser'], 'lr' | 'warmupSteps' | 'decay' | 'minLr'>;

/** The learning rate of the step that follows `completed` steps, out of `total`. */
export function learningRate(o: LrSettings, completed: number, total: number): number {
  if (completed < o.warmupSteps) return (o.lr * (completed + 1)) / o.warmupSteps;
  if (o.decay === 'none') return o.lr;
  const span = Math.max(1, total - o.warmupSteps);
  const progress = Math.min(1, (completed - o.warmupSteps) / span);
  return o.minLr + 0.5 * (o.lr - o.minLr) * (1 + Math.cos(Math.PI * progress));
}
