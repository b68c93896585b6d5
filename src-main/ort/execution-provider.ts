// Whether an ONNX Runtime execution provider runs here: a one-node graph opened and run on it, and why not in ONNX Runtime's own words.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { GraphBuilder } from '../../src-core/graph/builder';
import { writeOnnx } from '../../src-core/onnx';
import { createSession, cudaProviderInstalled, type ExecutionProvider } from './ort-session';

/** A provider that runs here (on a device), or why it does not in the studio's words, ONNX Runtime's own message after them where it gave one. */
type ProviderCheck = { readonly ok: true; readonly device: string } | { readonly ok: false; readonly reason: string };

/** What each provider is called in the studio's words. */
const PROVIDER_LABEL: Record<ExecutionProvider, string> = { cpu: 'CPU', cuda: 'CUDA', webgpu: 'WebGPU' };

function negModel(): Uint8Array {
  const b = new GraphBuilder('provider-probe');
  b.output(b.node('Neg', [b.input('x', 'float32', [2])], { name: 'y' }));
  return writeOnnx(b.build().graph, new Float32Array(0));
}

/** The NVIDIA driver's names of the GPUs it sees (Linux; empty elsewhere or without the driver). */
function nvidiaGpuNames(): string[] {
  const root = '/proc/driver/nvidia/gpus';
  try {
    return readdirSync(root).flatMap((bus) => {
      const model = /^Model:\s*(.+)$/m.exec(readFileSync(join(root, bus, 'information'), 'utf8'));
      return model ? [model[1].trim()] : [];
    });
  } catch {
    return [];
  }
}

function deviceOf(provider: ExecutionProvider, threads: number): string {
  if (provider === 'cpu') return `CPU, ${threads} thread${threads === 1 ? '' : 's'}`;
  if (provider === 'cuda') {
    const gpus = nvidiaGpuNames();
    return gpus.length > 0 ? `CUDA: ${gpus[0]} (ONNX Runtime CUDA provider)` : 'CUDA (ONNX Runtime CUDA provider)';
  }
  return 'WebGPU (ONNX Runtime WebGPU provider, experimental)';
}

/** The folders a Linux dynamic loader searches by default, and LD_LIBRARY_PATH's. */
function libraryFolders(): string[] {
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return [...fromEnv, `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`, '/usr/lib64', '/usr/lib', '/lib64', '/lib', '/usr/local/lib'];
}

/**
 * Whether Vulkan's loader is there. On Linux ONNX Runtime's WebGPU provider runs on Vulkan; without the loader, starting
 * it only prints a warning to stderr in every process that asks and then fails, so it is not asked.
 */
function vulkanLoaderPresent(): boolean {
  return libraryFolders().some((dir) => existsSync(join(dir, 'libvulkan.so.1')));
}

/**
 * Opens a one-node graph on the provider alone and runs it (with the caller's thread settings); never throws. The CUDA provider is first looked for beside
 * the binding (asking ONNX Runtime for a missing one only logs a load error), then really started.
 */
export async function checkProvider(provider: ExecutionProvider, threads: number, spinning = false): Promise<ProviderCheck> {
  const label = PROVIDER_LABEL[provider];
  if (provider === 'cuda' && !cudaProviderInstalled()) {
    return { ok: false, reason: "ONNX Runtime's CUDA provider is not installed" };
  }
  if (provider === 'webgpu' && process.platform === 'linux' && !vulkanLoaderPresent()) {
    return { ok: false, reason: "ONNX Runtime's WebGPU provider needs Vulkan, and this machine has no Vulkan loader (libvulkan.so.1)" };
  }
  try {
    const session = await createSession(negModel(), { threads, providers: [provider], spinning });
    try {
      const y = (await session.run({ x: { type: 'float32', data: Float32Array.of(1, -2), dims: [2] } })).y?.data;
      if (!y || y[0] !== -1 || y[1] !== 2) return { ok: false, reason: `ONNX Runtime computed a wrong result on a one-node test graph with the ${label} provider` };
    } finally {
      await session.release();
    }
  } catch (err) {
    const said = err instanceof StudioError ? err.details.find((d) => d.path[0] === 'onnxruntime')?.message : undefined;
    const detail = (said ?? (err as Error).message).trim();
    return { ok: false, reason: `ONNX Runtime's ${label} provider did not start: ${detail}` };
  }
  return { ok: true, device: deviceOf(provider, threads) };
}

/** The providers sampling sessions try, in order: CUDA where it starts (the onnxruntime-cuda backend's provider), else the CPU. */
const SAMPLING_PROVIDERS: readonly ExecutionProvider[] = ['cuda', 'cpu'];

/** What sampling sessions open on, and why each provider before it was passed over. */
export interface SamplingProvider {
  readonly provider: ExecutionProvider;
  readonly device: string;
  /** The providers tried before it, each with why it does not run here. */
  readonly passedOver: readonly { readonly provider: ExecutionProvider; readonly reason: string }[];
}

/**
 * The first of SAMPLING_PROVIDERS that starts here (WebGPU is left to training: experimental, and a sample should not
 * hang on it); throws the CPU provider's reason where even that one does not start.
 */
export async function pickSamplingProvider(threads: number): Promise<SamplingProvider> {
  const passedOver: { provider: ExecutionProvider; reason: string }[] = [];
  for (const provider of SAMPLING_PROVIDERS) {
    const check = await checkProvider(provider, threads);
    if (check.ok) return { provider, device: check.device, passedOver };
    passedOver.push({ provider, reason: check.reason });
  }
  throw new StudioError('internal', `ONNX Runtime could not run a test graph on any provider: ${passedOver.map((p) => p.reason).join('; ')}`);
}
