// The progress batcher: the first step at once, then no two messages closer than the gap, nothing lost or reordered.
import { describe, expect, it } from 'vitest';
import { progressBatcher } from './progress-batch';

const step = (k: number) => ({ step: k, total: 1000, t: 1 - k / 1000, nfe: k });

describe('progressBatcher', () => {
  it('sends the first step at once, then at most one batch per gap, and the rest on flush, in order', () => {
    let now = 0;
    const sent: { at: number; steps: number[] }[] = [];
    const p = progressBatcher((steps) => sent.push({ at: now, steps: steps.map((s) => s.step) }), () => now, 50);
    for (let k = 1; k <= 1000; k++) {
      now = k * 0.3; // a step every 0.3 ms: 300 ms in all
      p.add(step(k));
    }
    p.flush();
    p.flush(); // nothing left: no empty message
    expect(sent[0].steps).toEqual([1]);
    for (let i = 1; i < sent.length - 1; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(50);
    expect(sent.length).toBeLessThanOrEqual(2 + Math.ceil(300 / 50));
    expect(sent.flatMap((s) => s.steps)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('sends every step when steps are slower than the gap', () => {
    let now = 0;
    const sent: number[][] = [];
    const p = progressBatcher((steps) => sent.push(steps.map((s) => s.step)), () => now, 50);
    for (let k = 1; k <= 5; k++) {
      now = k * 80;
      p.add(step(k));
    }
    p.flush();
    expect(sent).toEqual([[1], [2], [3], [4], [5]]);
  });
});
