// The backend-choice tests for a registry and what its probe found: each TensorFlow backend is trained where it loads and falls back with its reason where it does not.
import { describe, expect, it } from 'vitest';
import type { BackendAvailability } from '../../src-core/api/methods/training';
import type { Registry } from '../../src-core/registry';
import { BACKEND_NAMES, type BackendName, type BackendProvider } from '../../src-core/training/backend';
import { describeBackendDecision } from '../../src-core/training/backend-decision';
import { createBackendRegistry, decisionOf, resolveBackend } from '../../src-main/training/backends/resolve-backend';
import { tfjsNodePackage } from '../../src-main/training/backends/tfjs-node-loader';
import { expectParityWithCompiledStep } from './compiled-step-parity';
import { TENSORFLOW_BACKENDS, TFJS_BACKENDS } from './installed-backends';
import { OPT, freshState, smallModel, specOf } from './tfjs-fixtures';

// a parity run compiles the ONNX step and trains six steps on two backends: ~1 s alone, several times that on a loaded machine
const PARITY_TIMEOUT_MS = 60_000;

/** What 'auto' must do over a registry whose probe gave `found`: land on the first available, listing every one before it. */
async function expectAutoFollows(registry: Registry<BackendProvider>, found: readonly BackendAvailability[]): Promise<void> {
  const model = smallModel();
  const first = found.findIndex((b) => b.available);
  const chosen = found[first];
  if (!chosen?.available) throw new Error('no backend can run here');
  const r = await resolveBackend('auto', specOf(model, OPT, freshState(model, 1)), registry);
  try {
    expect(r.backend.name).toBe(chosen.name);
    expect(r.backend.device).toBe(chosen.device);
    expect(r.tried).toEqual(found.slice(0, first).map((b) => ({ name: b.name, reason: b.available ? null : b.reason, fix: b.available ? null : b.fix })));
    const said = describeBackendDecision(decisionOf(r));
    expect(said.startsWith(`fastest backend that runs here: ${chosen.name} on ${r.backend.device}`)).toBe(true);
    for (const t of r.tried) expect(said).toContain(`${t.name}: ${t.reason}`);
  } finally {
    r.backend.dispose();
  }
}

/**
 * Declares the tests for one registry: `found` is its probe (in BACKEND_NAMES order), taken before the tests are
 * collected, so each TensorFlow backend gets either the tests of a present backend (its device, a forced run, parity
 * with the compiled step) or those of an absent one (the reason names the package, 'auto' passes it by, a forced run
 * fails with the reason); neither is ever skipped. parityOf: the tfjs backends whose parity is checked where they load.
 */
export function describeBackendChoice(
  label: string,
  registry: Registry<BackendProvider>,
  found: readonly BackendAvailability[],
  parityOf: readonly BackendName[] = TFJS_BACKENDS,
): void {
  const at = (name: BackendName): BackendAvailability => {
    const b = found.find((f) => f.name === name);
    if (!b) throw new Error(`the probe did not report ${name}`);
    return b;
  };
  const model = smallModel();
  const spec = () => specOf(model, OPT, freshState(model, 1));

  describe(`${label}: what loads`, () => {
    it('every backend was probed once, in the order auto tries them', () => {
      expect(found.map((b) => b.name)).toEqual([...BACKEND_NAMES]);
    });
    it('wasm and cpu load (they ship with the studio)', () => {
      expect(at('wasm')).toEqual({ name: 'wasm', available: true, device: expect.stringMatching(/^WebAssembly \((no )?SIMD/) });
      expect(at('cpu')).toEqual({ name: 'cpu', available: true, device: expect.stringMatching(/^CPU \(tfjs JavaScript kernels/) });
    });
    it("'auto' lands on the first backend that loads and names why it passed each one before", async () => {
      await expectAutoFollows(registry, found);
    });
    it("without onnxruntime, 'auto' lands on the first of the others that loads", async () => {
      const others = createBackendRegistry(registry.names().filter((n) => n !== 'onnxruntime').map((n) => registry.get(n)));
      const missing = { name: 'onnxruntime' as const, available: false as const, reason: 'no provider is registered under this name', fix: null };
      await expectAutoFollows(others, found.map((b) => (b.name === 'onnxruntime' ? missing : b)));
    });
  });

  for (const name of TENSORFLOW_BACKENDS) {
    const here = at(name);
    const pkg = tfjsNodePackage(name === 'tensorflow-gpu' ? 'gpu' : 'cpu');
    if (here.available) {
      describe(`${label}: ${name} loads (${here.device})`, () => {
        it('its device names TensorFlow and the package that serves it', () => {
          // the CUDA build also serves the CPU backend when it is the one loaded
          const device = name === 'tensorflow-gpu' ? /^CUDA GPU \(TensorFlow via @tensorflow\/tfjs-node-gpu\)$/ : /^CPU \(TensorFlow native via @tensorflow\/tfjs-node(-gpu)?\)$/;
          expect(here.device).toMatch(device);
        });
        it('a run that asks for it gets it', async () => {
          const r = await resolveBackend(name, spec(), registry);
          try {
            expect(r.backend.name).toBe(name);
            expect(r.backend.device).toBe(here.device);
            expect(r.tried).toEqual([]);
          } finally {
            r.backend.dispose();
          }
        });
      });
    } else {
      describe(`${label}: ${name} does not load`, () => {
        it(`the reason is the load error of ${pkg}, with its fix`, () => {
          expect(here.reason.startsWith(`${pkg} `), here.reason).toBe(true);
        });
        it("'auto' passes it by with that reason; a run that asks for it fails with the reason", async () => {
          // from this backend on, so 'auto' reaches it even where a faster one runs
          const from = createBackendRegistry(BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(name)).filter((n) => registry.has(n)).map((n) => registry.get(n)));
          const r = await resolveBackend('auto', spec(), from);
          try {
            expect(r.backend.name).not.toBe(name);
            expect(r.tried).toContainEqual({ name, reason: here.reason, fix: here.fix });
          } finally {
            r.backend.dispose();
          }
          await expect(resolveBackend(name, spec(), registry)).rejects.toThrow(`the run asks for the '${name}' backend, which cannot run here: ${here.reason}`);
        });
      });
    }
  }

  describe(`${label}: every tfjs backend that loads trains like the compiled ONNX step`, () => {
    for (const name of parityOf) {
      const here = at(name);
      if (!here.available) continue; // an absent TensorFlow backend has its own tests above; wasm and cpu must load
      it(`${name} on ${here.device}: loss, gradient norm and state after six steps of one run`, async () => {
        await expectParityWithCompiledStep(registry.get(name));
      }, PARITY_TIMEOUT_MS);
    }
  });
}
