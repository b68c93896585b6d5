// A typed publish/subscribe hub for the contract's events; a throwing listener never stops the others.
import type { EventName, EventPayload } from './contract';

type AnyListener = (event: EventName, payload: unknown) => void;

/** Fans the contract's events out to listeners (transports subscribe with onAny). */
export class EventHub {
  private readonly listeners = new Set<AnyListener>();

  /** Delivers an event to every listener. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload);
      } catch {
        // A broken subscriber (a closed socket, a destroyed window) must not break the service.
      }
    }
  }

  /** Listens to every event; returns the unsubscribe function. */
  onAny(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to one event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.onAny((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }
}
