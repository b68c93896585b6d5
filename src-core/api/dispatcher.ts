// Checks a call against the contract, runs its handler and answers with a typed reply: never a throw.
import { StudioError } from '../errors';
import { describeDetails, detailsOf, MAX_DETAILS, safeParseStudio, type ErrorDetail } from '../validation';
import { METHODS, isMethodName, type MethodName, type Params, type Reply, type Result } from './contract';

/** The implementation of every method of the contract. */
export type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> | Result<M> };

/** The handlers of one domain's methods (a methods/<domain>.ts table). */
export type DomainHandlers<T> = { [M in keyof T & MethodName]: Handlers[M] };

/** Answers one call: (method, params) from any transport -> a reply. */
export type Dispatch = (method: unknown, params: unknown) => Promise<Reply>;

/** Wraps handlers so every call is validated on the way in and on the way out. */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (method, params) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(method)}` } };
    }
    const spec = METHODS[method];
    const parsed = safeParseStudio(spec.params, params ?? {});
    if (!parsed.success) {
      const details = detailsOf(parsed.error);
      return { ok: false, error: { code: 'invalid-message', message: `${method}: ${describeDetails(details)}`, details } };
    }
    try {
      const handler = handlers[method] as (p: unknown) => Promise<unknown> | unknown;
      const result = await handler(parsed.data);
      const checked = safeParseStudio(spec.result, result);
      if (!checked.success) {
        return { ok: false, error: { code: 'internal', message: `${method} produced an invalid reply: ${describeDetails(detailsOf(checked.error))}` } };
      }
      return { ok: true, result: checked.data };
    } catch (err) {
      return { ok: false, error: toErrorBody(err) };
    }
  };
}

/** Maps any thrown value to the wire's error body. */
export function toErrorBody(err: unknown): { code: StudioError['code']; message: string; details?: ErrorDetail[] } {
  if (err instanceof StudioError) return { code: err.code, message: err.message, ...(err.details.length ? { details: err.details.slice(0, MAX_DETAILS) } : {}) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
