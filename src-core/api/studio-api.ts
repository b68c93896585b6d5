// The one interface the renderer, the command line and tests use, whatever transport carries it.
import { StudioError } from '../errors';
import type { EventName, EventPayload, MethodName, Params, Reply, Result } from './contract';

/** The studio's API: calls that resolve or reject with a StudioError, and event subscriptions. */
export interface StudioApi {
  /** Calls a method; rejects with a StudioError carrying the server's code. */
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Turns a reply into its result or throws its typed error. */
export function unwrapReply<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.result;
  throw new StudioError(reply.error.code, reply.error.message, reply.error.details ?? []);
}
