// Play/pause for the step scrubber: advances the shared step on animation frames at a steady pace.
import { onBeforeUnmount, ref } from 'vue';

/** Milliseconds each step stays on screen while playing. */
const STEP_MS = 60;

/** A play/pause toggle that moves step() from its value to last() and stops there. */
export function usePlayback(step: () => number, last: () => number, setStep: (s: number) => void) {
  const playing = ref(false);
  let frame = 0;
  let since = 0;

  function tick(now: number): void {
    if (!playing.value) return;
    if (since === 0) since = now;
    const advance = Math.floor((now - since) / STEP_MS);
    if (advance > 0) {
      since += advance * STEP_MS;
      setStep(Math.min(last(), step() + advance));
    }
    if (step() >= last()) {
      playing.value = false;
      return;
    }
    frame = requestAnimationFrame(tick);
  }

  function play(): void {
    if (playing.value || last() === 0) return;
    // from the end, playing starts over
    if (step() >= last()) setStep(0);
    playing.value = true;
    since = 0;
    frame = requestAnimationFrame(tick);
  }

  function pause(): void {
    playing.value = false;
    cancelAnimationFrame(frame);
  }

  const toggle = () => (playing.value ? pause() : play());
  onBeforeUnmount(pause);
  return { playing, play, pause, toggle };
}
