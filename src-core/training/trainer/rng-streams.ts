// The named random streams of a run: one seeded generator per purpose, so each draw sequence is independent and savable.
import { StudioError } from '../../errors';
import { Rng, type RngState } from '../../rng';

/** The streams a training run draws from; their states go into every checkpoint. */
const RNG_STREAMS = ['init', 'data', 'source', 'time', 'noise', 'coupling', 'dropout'] as const;
/** One of RNG_STREAMS. */
type RngStreamName = (typeof RNG_STREAMS)[number];
/** Every stream of a run, by name. */
export type RngStreams = Readonly<Record<RngStreamName, Rng>>;

/** Fresh streams for a seed: a master generator hands each stream its own seed, in a fixed order. */
export function createRngStreams(seed: number): RngStreams {
  const master = new Rng(seed);
  const out = {} as Record<RngStreamName, Rng>;
  // Two 32-bit words per stream keep the stream seeds distinct with overwhelming probability.
  for (const name of RNG_STREAMS) out[name] = new Rng(master.nextUint32() + 4294967296 * (master.nextUint32() & 0x1fffff));
  return out;
}

/** The states of every stream, for a checkpoint. */
export function rngStates(streams: RngStreams): Record<string, RngState> {
  const out: Record<string, RngState> = {};
  for (const name of RNG_STREAMS) out[name] = streams[name].state();
  return out;
}

/** Streams restored from a checkpoint; throws naming a stream the checkpoint lacks. */
export function restoreRngStreams(states: Readonly<Record<string, RngState>>): RngStreams {
  const out = {} as Record<RngStreamName, Rng>;
  for (const name of RNG_STREAMS) {
    const s = states[name];
    if (!s) throw new StudioError('invalid-argument', `the checkpoint has no state for the '${name}' random stream`);
    out[name] = Rng.fromState(s);
  }
  return out;
}
