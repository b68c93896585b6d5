// When a chart whose points keep changing (previews while training) moves its axes: to keep what matters in view without jumping at every update.
import { robustBounds, unionOf, type Extent } from './square-extent';

/** The box that must be in view: every non-empty set of row-major [n, 2] points, each without its farthest stragglers. */
export function neededView(...sets: Float32Array[]): Extent | null {
  const parts = sets.filter((p) => p.length >= 2).map((p) => robustBounds(p));
  return parts.length ? parts.reduce(unionOf) : null;
}

/** True when the view should move to want: nothing shown yet, want sticks out of it, or want fills well under half of it. */
export function needsRefit(view: Extent | null, want: Extent): boolean {
  if (!view) return true;
  const outside = want.xMin < view.xMin || want.xMax > view.xMax || want.yMin < view.yMin || want.yMax > view.yMax;
  const small = (want.xMax - want.xMin) / (view.xMax - view.xMin) < 0.5 && (want.yMax - want.yMin) / (view.yMax - view.yMin) < 0.5;
  return outside || small;
}
