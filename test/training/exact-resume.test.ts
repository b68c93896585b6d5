// Bit-exact resume: N straight steps equal N/2 steps, a checkpoint, a SIGKILL, a resume and N/2 more (weights, optimiser state, losses).
import { describe, expect, it } from 'vitest';
import { readRunRecord } from '../../src-main/runs';
import { checkpointHash, latestCheckpoint, metricRecords, newRun, recordingSupervisor, smallConfig, tempWorkspace, until } from './helpers';
import { signalProcess } from '../../src-main/process';

// Steps per run: the kill must land after the half-way checkpoint and before the end, so the fast backend runs longer.
const STEPS = { onnxruntime: 1000, cpu: 200 } as const;

describe('resume', () => {
  // tfjs's CPU kernels are deterministic; ONNX Runtime's are for a fixed thread count on one machine.
  it.each(['onnxruntime', 'cpu'] as const)('continues bit for bit after a kill on %s', async (backend) => {
    const N = STEPS[backend];
    const ws = await tempWorkspace();
    // Noise, times, label-free OT pairing and the data cursor (crossing epochs: 1000 rows, 128 a step) all restart from the checkpoint.
    const config = smallConfig({
      steps: N, checkpointEvery: N / 2, batchSize: 128, coupling: { ot: 'exact' },
      data: { source: 'builtin', id: 'eight-gaussians', params: { count: 1000 } },
      optimiser: { warmupSteps: 50, decay: 'cosine', minLr: 1e-5 },
    });
    const straight = await newRun(ws, config);
    const broken = await newRun(ws, config);
    const { supervisor, seen } = recordingSupervisor({ settings: { progressIntervalMs: 10, backend } });
    await supervisor.launch(straight.dir);
    await supervisor.waitForExit(straight.id);
    expect((await readRunRecord(straight.dir)).status).toBe('completed');

    await supervisor.launch(broken.dir);
    // kill once the half-way checkpoint is on disk (the worker has usually run on past it: that work is lost and redone)
    await until(() => seen.statuses.some((s) => s.runId === broken.id && s.record.lastStep >= N / 2) || seen.progress.some((e) => e.runId === broken.id && e.p.step > N / 2 + 5), 20_000, 'the half-way checkpoint');
    await until(() => seen.statuses.some((s) => s.runId === broken.id && s.record.lastStep === N / 2), 20_000, 'checkpoint N/2 recorded');
    signalProcess(supervisor.pid(broken.id), 'SIGKILL');
    await supervisor.waitForExit(broken.id);
    expect((await readRunRecord(broken.dir)).error).toMatch(/SIGKILL/);
    await supervisor.resume(broken.dir, broken.id);
    expect(seen.started[seen.started.length - 1].fromStep).toBe(N / 2);
    await supervisor.waitForExit(broken.id);

    const a = await latestCheckpoint(straight.dir);
    const b = await latestCheckpoint(broken.dir);
    expect(a.step).toBe(N);
    expect(b.step).toBe(N);
    expect(b.optimiser.step).toBe(N);
    expect(checkpointHash(b)).toBe(checkpointHash(a));
    const la = (await metricRecords(straight.dir)).map((r) => r.loss);
    const lb = (await metricRecords(broken.dir)).map((r) => r.loss);
    expect(lb).toHaveLength(N);
    expect(lb).toEqual(la);
    expect(b.backend).toBe(backend);
  }, 60_000);
});
