// The backend probe: the built probe process really spawned on this machine (its report against what loads in this process), and fake probe processes that crash, hang or answer nonsense.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { backendsReportSchema, type BackendAvailability } from '../../src-core/api/methods/training';
import { BACKEND_NAMES, type BackendName } from '../../src-core/training/backend';
import { BackendProbe } from '../../src-main/training/probe/backend-probe';
import { TrainingService } from '../../src-main/training/training-service';
import { built, have } from '../prerequisites';
import { smallConfig } from '../training/helpers';
import { expectReportAgrees, probeHere } from './installed-backends';

const WORKER = resolve('out/main/training-worker.js');
const PROBE = resolve('out/main/backend-probe.js');

describe.runIf(have(built(PROBE, WORKER)))('the built probe process on this machine', () => {
  let workspace: string;
  let service: TrainingService;
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'ds-probe-'));
    service = new TrainingService(workspace, new EventHub(), { workerPath: WORKER, autoRestart: false });
  });
  afterAll(async () => {
    await service.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('reports every backend as it loads in this process (device, or the load error), and what sampling runs on', async () => {
    const report = await service.handlers()['training.backends']({});
    expect(backendsReportSchema.safeParse(report).success).toBe(true);
    expect(report.backends.map((b) => b.name)).toEqual([...BACKEND_NAMES]);
    // the TensorFlow packages are optional: whether they load is what this process finds by loading them too
    expectReportAgrees(report, await probeHere());
    expect(report.sampling).toEqual({ available: true, device: expect.stringMatching(/^CPU, \d+ threads?$/), notes: [expect.stringMatching(/CUDA provider/)] });
  }, 60_000);

  it('keeps the answer: a second call spawns nothing and returns the same report', async () => {
    const first = await service.backends.report();
    const again = await service.backends.report();
    expect(again).toBe(first);
  }, 60_000);
});

describe('the agreement between a report and what loads here', () => {
  const found = [
    { name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu is installed but libtensorflow is missing (its install downloads it and that failed); reinstall with network access (npm rebuild @tensorflow/tfjs-node-gpu): /here/tfjs_binding.node', fix: 'Rebuild it with network access: npm rebuild @tensorflow/tfjs-node-gpu.' },
    { name: 'onnxruntime', available: true, device: 'CPU, 2 threads' },
    { name: 'tensorflow', available: true, device: 'CPU (TensorFlow native via @tensorflow/tfjs-node)' },
    { name: 'wasm', available: true, device: 'WebAssembly (SIMD, 1 thread)' },
    { name: 'cpu', available: true, device: 'CPU (tfjs JavaScript kernels, 1 thread)' },
  ] as const;
  const report = (backends: readonly BackendAvailability[], auto: BackendName | null = 'onnxruntime') => ({ backends: [...backends], auto, sampling: { available: true as const, device: 'CPU, 2 threads', notes: [] }, probedAt: '2026-01-01T00:00:00Z' });
  const replace = (i: number, b: BackendAvailability) => found.map((f, k) => (k === i ? b : f));

  it('accepts the same report, and a reason of the same kind that quotes another path', () => {
    expectReportAgrees(report(found), found);
    const otherPath = { ...found[0], reason: found[0].reason.replace('/here/', '/there/') };
    expectReportAgrees(report(replace(0, otherPath)), found);
  });
  it('refuses a backend available on one side only, another device, another kind of reason, or another auto', () => {
    expect(() => expectReportAgrees(report(replace(2, { name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed', fix: null })), found)).toThrow();
    expect(() => expectReportAgrees(report(replace(0, { name: 'tensorflow-gpu', available: true, device: 'CUDA GPU' }), 'tensorflow-gpu'), found)).toThrow();
    expect(() => expectReportAgrees(report(replace(1, { name: 'onnxruntime', available: true, device: 'CPU, 4 threads' })), found)).toThrow();
    expect(() => expectReportAgrees(report(replace(0, { name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu is not installed', fix: null })), found)).toThrow();
    expect(() => expectReportAgrees(report(found, 'wasm'), found)).toThrow();
  });
});

describe('fake probe processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ds-fake-probe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a probe stand-in: a plain Node child speaking the protocol, whose answer per backend is chosen by the test. */
  function fakeProbe(name: string, body: string): string {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(
      file,
      `const send = (m) => process.send(m);
process.on('message', async (m) => {
  for (const name of m.backends) {
${body}
  }
  if (m.sampling) send({ type: 'sampling', result: { available: true, device: 'CPU, 1 thread (fake)', notes: [] } });
  send({ type: 'done' });
  setTimeout(() => process.exit(0), 50);
});
send({ type: 'ready' });
`,
    );
    return file;
  }

  it('a refused probe keeps its reason, and auto is the first that runs', async () => {
    const path = fakeProbe('refuse', `    send({ type: 'backend', result: name === 'cpu' ? { name, available: true, device: 'fake CPU' } : { name, available: false, reason: name + ' is missing its library', fix: 'install ' + name } });`);
    const probe = new BackendProbe({ probePath: path });
    try {
      const report = await probe.report();
      expect(report.backends).toEqual(BACKEND_NAMES.map((n) => (n === 'cpu' ? { name: n, available: true, device: 'fake CPU' } : { name: n, available: false, reason: `${n} is missing its library`, fix: `install ${n}` })));
      expect(report.auto).toBe('cpu');
      expect(report.sampling).toEqual({ available: true, device: 'CPU, 1 thread (fake)', notes: [] });
      // refusals are answers, not crashes: a run's worker may try those backends itself
      expect(probe.crashed()).toEqual([]);
    } finally {
      await probe.close();
    }
  });

  it('a probe process that crashes on one backend gets that one reported with the crash, and a fresh process tries the rest', async () => {
    const path = fakeProbe('crash', `    if (name === 'onnxruntime') { process.stderr.write('Error: native binding aborted\\n'); process.exit(134); }
    send({ type: 'backend', result: { name, available: true, device: 'fake ' + name } });`);
    const probe = new BackendProbe({ probePath: path });
    try {
      expect(probe.crashed()).toEqual([]);
      const report = await probe.report();
      const at = BACKEND_NAMES.indexOf('onnxruntime');
      expect(probe.crashed()).toEqual([{ name: 'onnxruntime', reason: 'the probe process exited with code 134 (Error: native binding aborted) while trying it' }]);
      expect(report.backends[0]).toEqual({ name: 'onnxruntime-cuda', available: true, device: 'fake onnxruntime-cuda' });
      expect(report.backends[at]).toEqual({ name: 'onnxruntime', available: false, reason: 'the probe process exited with code 134 (Error: native binding aborted) while trying it', fix: null });
      expect(report.backends.filter((_, i) => i !== at).every((b) => b.available)).toBe(true);
      expect(report.auto).toBe('onnxruntime-cuda');
      expect(backendsReportSchema.safeParse(report).success).toBe(true);
    } finally {
      await probe.close();
    }
  });

  it('an invalid answer is refused by the schema and reported against the backend being tried', async () => {
    const path = fakeProbe('nonsense', `    send({ type: 'backend', result: name === 'tensorflow' ? { name, available: true } : { name, available: false, reason: 'absent', fix: null } });`);
    const probe = new BackendProbe({ probePath: path });
    try {
      const report = await probe.report();
      const tf = report.backends.find((b) => b.name === 'tensorflow');
      expect(tf).toEqual({ name: 'tensorflow', available: false, reason: expect.stringMatching(/^the probe process sent an invalid message \(dropped an invalid message: result.*\) while trying it$/), fix: null });
      expect(report.backends.find((b) => b.name === 'cpu')).toEqual({ name: 'cpu', available: false, reason: 'absent', fix: null });
    } finally {
      await probe.close();
    }
  });

  it('a probe process that hangs is stopped after its silence limit', async () => {
    const path = fakeProbe('hang', `    if (name === 'wasm') await new Promise(() => setInterval(() => undefined, 1000));
    send({ type: 'backend', result: { name, available: false, reason: 'absent', fix: null } });`);
    const probe = new BackendProbe({ probePath: path, silenceMs: 500 });
    try {
      const report = await probe.report();
      expect(report.backends.find((b) => b.name === 'wasm')).toEqual({ name: 'wasm', available: false, reason: 'the probe process gave no answer for 500 ms and was stopped while trying it', fix: null });
      expect(report.backends.find((b) => b.name === 'cpu')?.available).toBe(false);
      expect(report.auto).toBeNull();
    } finally {
      await probe.close();
    }
  });

  it.runIf(have(built(WORKER)))("a run on 'auto' passes over a backend that crashed the probe, naming the crash, rather than load it in its worker", async () => {
    const path = fakeProbe('crash-ort', `    if (name === 'onnxruntime') process.exit(134);
    send({ type: 'backend', result: { name, available: false, reason: 'absent', fix: null } });`);
    const workspace = mkdtempSync(join(tmpdir(), 'ds-avoid-'));
    const service = new TrainingService(workspace, new EventHub(), { workerPath: WORKER, probePath: path, autoRestart: false, settings: { previewIntervalMs: 0 } });
    try {
      await service.backends.report();
      const handlers = service.handlers();
      const { runId } = await handlers['training.start']({ config: smallConfig({ steps: 20, checkpointEvery: 10 }) });
      let backend = null;
      for (const end = Date.now() + 60_000; backend === null && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
        backend = (await handlers['training.get']({ runId })).run.backend;
      }
      expect(backend).toMatchObject({ how: 'auto' });
      const decision = backend as { name: string; tried: { name: string; reason: string; fix: string | null }[] };
      expect(decision.name).not.toBe('onnxruntime');
      expect(decision.tried).toContainEqual({ name: 'onnxruntime', reason: 'the probe process exited with code 134 while trying it', fix: null });
    } finally {
      await service.shutdown();
      rmSync(workspace, { recursive: true, force: true });
    }
  }, 90_000);

  it('a missing probe entry is an error, not kept: the next call tries again', async () => {
    const path = join(dir, 'later.mjs');
    const probe = new BackendProbe({ probePath: path });
    try {
      await expect(probe.report()).rejects.toThrow(/backend probe .*later\.mjs is missing/);
      writeFileSync(path, 'process.exit(0)\n');
      await expect(probe.report()).resolves.toMatchObject({ auto: null });
    } finally {
      await probe.close();
    }
  });
});
