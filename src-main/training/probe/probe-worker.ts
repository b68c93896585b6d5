// The backend probe's entry (built as out/main/backend-probe.js): a short-lived process that tries the backends it is asked about, answers, and exits.
// Native packages (TensorFlow's bindings, ONNX Runtime) load here, so a crash or a hang while loading one never reaches the host.
import { connectToParent } from '../../process/parent-link';
import { probeBackends } from '../backends/probe-backends';
import { backendRegistry } from '../backends/resolve-backend';
import { fromProbeSchema, toProbeSchema, type ToProbe } from './probe-protocol';
import { probeSamplingRuntime } from './sampling-runtime';

const link = connectToParent(toProbeSchema, fromProbeSchema);
let asked = false;

async function probe(m: ToProbe): Promise<void> {
  await probeBackends(backendRegistry(), m.backends, (result) => link.send({ type: 'backend', result }));
  if (m.sampling) link.send({ type: 'sampling', result: await probeSamplingRuntime() });
  link.send({ type: 'done' });
  // leave once the last message is out (IPC sends are asynchronous); native modules may hold the event loop open
  setTimeout(() => process.exit(0), 100);
}

link.onMessage((m) => {
  if (asked) return;
  asked = true;
  void probe(m).catch((err: unknown) => {
    process.stderr.write(`backend probe: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
});
link.onInvalidMessage((problem) => process.stderr.write(`backend probe: ${problem}\n`));
link.onDisconnect(() => process.exit(0));
link.send({ type: 'ready' });
