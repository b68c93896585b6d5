// The backend panel rendered to HTML: a run's recorded decision (or an older run's note, as written); before a run every backend with its device or reason and fix, auto's pick, sampling, and a forced choice that cannot run.
import { describe, expect, it } from 'vitest';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { BackendsReport } from '../../../src-core/api/methods/training';
import BackendPanel from './BackendPanel.vue';
import { forcedProblem, readAvailability } from './backend-report';

// the words the CUDA and WebGPU probes gave on a machine without a GPU or the CUDA provider
const CUDA_ABSENT = {
  name: 'onnxruntime-cuda', available: false, reason: "ONNX Runtime's CUDA provider is not installed",
  fix: "Run npm run setup:cuda (Linux x64) to add ONNX Runtime's CUDA 12 provider; it needs an NVIDIA GPU and driver (nvidia-smi) with CUDA 12 and cuDNN 9 where the loader finds them (LD_LIBRARY_PATH), then restart the studio.",
} as const;
const WEBGPU_ABSENT = {
  name: 'onnxruntime-webgpu', available: false,
  reason: "ONNX Runtime's WebGPU provider did not start: webgpu_context.cc:136 Failed to get a WebGPU adapter: No supported adapters",
  fix: 'Needs a GPU with a WebGPU-capable driver (on Linux a Vulkan driver and libvulkan.so.1); otherwise the other backends train.',
} as const;

const REPORT: BackendsReport = {
  backends: [
    CUDA_ABSENT,
    {
      name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1: libcudart.so.11.0 is missing; install CUDA 11.2, or train on another backend',
      fix: 'Install CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8) where the loader finds them (LD_LIBRARY_PATH), then restart the studio.',
    },
    WEBGPU_ABSENT,
    { name: 'onnxruntime', available: true, device: 'CPU, 2 threads' },
    {
      name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed (an optional dependency whose install downloads libtensorflow; here it was skipped or failed)',
      fix: 'npm install @tensorflow/tfjs-node (an optional dependency; its install downloads libtensorflow, so it needs network access).',
    },
    { name: 'wasm', available: true, device: 'WebAssembly (SIMD, 1 thread)' },
    { name: 'cpu', available: true, device: 'CPU (tfjs JavaScript kernels, 1 thread)' },
  ],
  auto: 'onnxruntime',
  sampling: { available: true, device: 'CPU, 2 threads', notes: ["ONNX Runtime's CUDA provider is not installed"] },
  probedAt: '2026-01-01T00:00:00.000Z',
};

type Props = InstanceType<typeof BackendPanel>['$props'];

function render(props: Props): Promise<string> {
  return renderToString(createSSRApp(BackendPanel, props as Record<string, unknown>));
}

/** The text of the element whose opening tag contains the marker, tags stripped (enough for these flat elements). */
function textOf(html: string, marker: string): string {
  const at = html.indexOf(marker);
  if (at < 0) return '';
  const open = html.lastIndexOf('<', at);
  const tag = /^<([a-z0-9]+)/.exec(html.slice(open))?.[1] ?? 'div';
  const end = html.indexOf(`</${tag}>`, at);
  return html.slice(html.indexOf('>', at) + 1, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ ([,.])/g, '$1').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
}

describe('backend availability', () => {
  it('reads the report into rows with fixes, auto marked, and the sampling device', () => {
    const v = readAvailability(REPORT);
    expect(v.auto).toBe('onnxruntime');
    expect(v.backends.map((b) => [b.name, b.available, b.auto])).toEqual([
      ['onnxruntime-cuda', false, false],
      ['tensorflow-gpu', false, false],
      ['onnxruntime-webgpu', false, false],
      ['onnxruntime', true, true],
      ['tensorflow', false, false],
      ['wasm', true, false],
      ['cpu', true, false],
    ]);
    expect(v.backends[0].fix).toMatch(/^Run npm run setup:cuda/);
    expect(v.backends[1].fix).toMatch(/^Install CUDA 11\.2 and cuDNN 8\.1/);
    expect(v.backends[4].fix).toMatch(/^npm install @tensorflow\/tfjs-node /);
    expect(v.sampling).toEqual({ available: true, text: 'CPU, 2 threads', fix: null, notes: ["ONNX Runtime's CUDA provider is not installed"] });
    const noOrt = readAvailability({ ...REPORT, sampling: { available: false, reason: 'ONNX Runtime could not be loaded: libonnxruntime.so.1: cannot open shared object file', fix: 'Install or repair onnxruntime-node (npm install onnxruntime-node).', notes: [] } });
    expect(noOrt.sampling.fix).toMatch(/onnxruntime-node/);
  });

  it('flags a forced choice only when the probe found it unable to run', () => {
    expect(forcedProblem(REPORT, 'tensorflow')).toEqual({ name: 'tensorflow', reason: REPORT.backends[4].reason, fix: expect.stringMatching(/^npm install @tensorflow\/tfjs-node /) });
    expect(forcedProblem(REPORT, 'wasm')).toBeNull();
    expect(forcedProblem(REPORT, 'auto')).toBeNull();
    expect(forcedProblem(null, 'tensorflow')).toBeNull();
  });
});

describe('BackendPanel', () => {
  it('before a run: every backend in order, which one auto picks, each missing one with reason and fix, and sampling', async () => {
    const html = await render({ backend: null, live: null, requested: 'auto', availability: REPORT });
    const rows = [...html.matchAll(/data-backend-row="([a-z-]+)" data-available="(true|false)"/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([['onnxruntime-cuda', 'false'], ['tensorflow-gpu', 'false'], ['onnxruntime-webgpu', 'false'], ['onnxruntime', 'true'], ['tensorflow', 'false'], ['wasm', 'true'], ['cpu', 'true']]);
    expect(html).toContain('data-auto="onnxruntime"');
    expect(textOf(html, 'data-testid="backend-auto"')).toBe('A run on auto trains on onnxruntime, the fastest that runs here.');
    expect(textOf(html, 'data-backend-row="onnxruntime"')).toBe('onnxruntime auto runs on CPU, 2 threads');
    expect(textOf(html, 'data-backend-row="tensorflow-gpu"')).toMatch(/^tensorflow-gpu cannot run: .*libcudart\.so\.11\.0 is missing.* To get it: Install CUDA 11\.2 and cuDNN 8\.1/);
    expect(textOf(html, 'data-backend-row="onnxruntime-cuda"')).toBe(`onnxruntime-cuda cannot run: ONNX Runtime's CUDA provider is not installed To get it: ${CUDA_ABSENT.fix}`);
    expect(textOf(html, 'data-backend-row="onnxruntime-webgpu"')).toMatch(/^onnxruntime-webgpu cannot run: ONNX Runtime's WebGPU provider did not start: .*No supported adapters/);
    expect(textOf(html, 'data-backend-row="tensorflow"')).toMatch(/To get it: npm install @tensorflow\/tfjs-node \(/);
    expect(textOf(html, 'data-testid="sampling-device"')).toMatch(/^Sampling ONNX Runtime on CPU, 2 threads ONNX Runtime's CUDA provider is not installed$/);
    expect(html).not.toContain('backend-forced-problem');
  });

  it("with ONNX Runtime's CUDA provider reported present, auto trains on it and the CPU compiled step is the next row", async () => {
    const cuda = { name: 'onnxruntime-cuda' as const, available: true as const, device: 'CUDA: NVIDIA H100 80GB HBM3 (ONNX Runtime CUDA provider)' };
    const html = await render({ backend: null, live: null, requested: 'auto', availability: { ...REPORT, backends: [cuda, ...REPORT.backends.slice(1)], auto: 'onnxruntime-cuda' } });
    expect(html).toContain('data-auto="onnxruntime-cuda"');
    expect(textOf(html, 'data-testid="backend-auto"')).toBe('A run on auto trains on onnxruntime-cuda, the fastest that runs here.');
    expect(textOf(html, 'data-backend-row="onnxruntime-cuda"')).toBe(`onnxruntime-cuda auto runs on ${cuda.device}`);
    expect(textOf(html, 'data-backend-row="onnxruntime"')).toBe('onnxruntime runs on CPU, 2 threads');
  });

  it('flags a forced backend that cannot run, before start', async () => {
    const html = await render({ backend: null, live: null, requested: 'tensorflow-gpu', availability: REPORT });
    expect(html).toContain('data-forced="tensorflow-gpu"');
    const text = textOf(html, 'data-testid="backend-forced-problem"');
    expect(text).toMatch(/^tensorflow-gpu cannot run here\. .*libcudart/);
    expect(text).toMatch(/To get it: Install CUDA 11\.2/);
    expect(text).toMatch(/choose auto \(onnxruntime\) in the form\.$/);
    expect(await render({ backend: null, live: null, requested: 'wasm', availability: REPORT })).not.toContain('backend-forced-problem');
  });

  it("with a run on screen shows the run's backend, not the list; says when the check is running or failed", async () => {
    const run = await render({ backend: { name: 'wasm', device: 'WebAssembly (SIMD, 1 thread)', how: 'forced', tried: [] }, live: null, requested: 'wasm', availability: REPORT });
    expect(run).toContain('data-backend="wasm"');
    expect(run).not.toContain('data-backend-row');
    expect(textOf(run, 'class="muted why"')).toBe('Asked for by the run.');
    expect(run).toContain('data-testid="sampling-device"');
    expect(textOf(await render({ backend: null, live: null, requested: 'auto', checking: true }), 'role="status"')).toBe('Checking which backends run here…');
    const failed = await render({ backend: null, live: null, requested: 'auto', availabilityError: 'the backend probe is missing' });
    expect(textOf(failed, 'role="alert"')).toBe('Could not check the backends: the backend probe is missing Check again');
  });

  it("shows a run's decision as recorded: the device, how it was chosen, and each backend passed over with its reason and fix", async () => {
    const backend = {
      name: 'onnxruntime' as const, device: 'CPU, 2 threads', how: 'auto' as const,
      tried: [
        { name: 'tensorflow-gpu' as const, reason: '@tensorflow/tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1: libcudart.so.11.0 is missing; b: not a backend', fix: 'Install CUDA 11.2 and cuDNN 8.1.' },
        { name: 'tensorflow' as const, reason: 'probe failed: boom', fix: null },
      ],
    };
    const html = await render({ backend, live: null, requested: 'auto', availability: REPORT });
    expect(html).toContain('data-backend="onnxruntime"');
    expect(textOf(html, 'class="chosen"')).toBe('onnxruntime on CPU, 2 threads');
    expect(textOf(html, 'class="muted why"')).toBe('Chosen as the fastest that runs here.');
    const skipped = [...html.matchAll(/data-skipped="([a-z-]+)"/g)].map((m) => m[1]);
    expect(skipped).toEqual(['tensorflow-gpu', 'tensorflow']);
    // a reason holding '; name: ' stays one entry: nothing is split from words
    expect(textOf(html, 'data-skipped="tensorflow-gpu"')).toBe(`tensorflow-gpu not used: ${backend.tried[0].reason} To get it: Install CUDA 11.2 and cuDNN 8.1.`);
    expect(textOf(html, 'data-skipped="tensorflow"')).toBe('tensorflow not used: probe failed: boom');
  });

  it('shows the note of a run recorded before decisions were data as it was written, with no device and nothing passed over', async () => {
    const note = 'CPU, 2 threads: fastest backend that runs here: onnxruntime on CPU, 2 threads; skipped tensorflow-gpu: missing';
    const html = await render({ backend: { name: 'onnxruntime', note }, live: null, requested: 'auto' });
    expect(textOf(html, 'class="chosen"')).toBe('onnxruntime');
    expect(textOf(html, 'class="muted why"')).toBe(note);
    expect(html).not.toContain('data-skipped');
  });

  it('before a run and before the probe answers, names the backends auto tries in their order', async () => {
    const html = await render({ backend: null, live: null, requested: 'auto' });
    expect(textOf(html, 'class="muted why"')).toBe('Chosen when a run starts: the fastest of onnxruntime-cuda, tensorflow-gpu, onnxruntime-webgpu, onnxruntime, tensorflow, wasm and cpu that runs here; what was skipped and why shows here.');
  });
});
