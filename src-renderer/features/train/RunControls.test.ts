// The run controls rendered to HTML: the progress line names the plans an entropic coupling's batches came from, and says nothing of plans otherwise.
import { describe, expect, it } from 'vitest';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { EventPayload } from '../../../src-core/api/contract';
import RunControls from './RunControls.vue';

type Props = InstanceType<typeof RunControls>['$props'];

const progress = (coupling?: EventPayload<'training.progress'>['coupling']): EventPayload<'training.progress'> => ({
  runId: 'r1', step: 1200, totalSteps: 4000, loss: 0.5, smoothedLoss: 0.5, lr: 1e-3, gradNorm: 1, stepsPerSec: 40, etaSec: 70, backend: 'onnxruntime', ...(coupling ? { coupling } : {}),
});

async function plansText(p: EventPayload<'training.progress'>): Promise<string | null> {
  const props: Props = { run: null, progress: p, busy: null, canStart: false, canPause: true, canResume: false, canCancel: true, confirming: false, warnings: [], invalid: false, error: null };
  const html = await renderToString(createSSRApp(RunControls, props as Record<string, unknown>));
  const m = /data-testid="train-plans"[^>]*>([\s\S]*?)<\/span>/.exec(html);
  return m ? m[1].replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim() : null;
}

describe('run controls', () => {
  it('counts the batches of each plan an entropic coupling drew from', async () => {
    expect(await plansText(progress({ entropic: 1150, ot: 50, unconverged: 0 }))).toBe('plans: entropic 1,150 · OT 50');
    expect(await plansText(progress({ entropic: 3, ot: 0, unconverged: 2 }))).toBe('plans: entropic 3 · OT 0 · unconverged 2');
  });

  it('says nothing of plans where the coupling draws none', async () => {
    expect(await plansText(progress())).toBeNull();
  });
});
