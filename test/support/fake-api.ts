// A small in-memory StudioApi for store tests: canned replies per method, recorded calls, emitted events.
import type { EventName, EventPayload, MethodName, Params, Result } from '../../src-core/api/contract';
import type { StudioApi } from '../../src-core/api/studio-api';

type Handler<M extends MethodName> = (params: Params<M>) => Result<M> | Promise<Result<M>>;

/** A fake API whose methods are set per test and whose events are emitted by hand. */
export class FakeApi implements StudioApi {
  readonly calls: { method: MethodName; params: unknown }[] = [];
  private readonly handlers = new Map<MethodName, Handler<never>>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  /** Sets what a method answers (a thrown error becomes a rejection). */
  handle<M extends MethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as unknown as Handler<never>);
    return this;
  }

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method) as unknown as Handler<M> | undefined;
    if (!handler) throw new Error(`no fake reply for ${method}`);
    return handler(params);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Delivers an event to the subscribed listeners. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(payload);
  }

  /** Number of listeners on an event (to check unsubscription). */
  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
