// Checks a call against the contract, runs its handler and answers with a typed reply: never a throw.
import { z } from 'zod';
import { StudioError } from '../errors';
import { METHODS, isMethodName, type MethodName, type Params, type Reply, type Result } from './contract';

/** The implementation of every method of the contract. */
export type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> | Result<M> };

/** The handlers of one domain's methods (a methods/<domain>.ts table). */
export type DomainHandlers<T> = { [M in keyof T & MethodName]: Handlers[M] };

/** Answers one call: (method, params) from any transport -> a reply. */
export type Dispatch = (method: unknown, params: unknown) => Promise<Reply>;

/** Describes a schema failure as 'path: problem' lines a person can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Wraps handlers so every call is validated on the way in and on the way out. */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (method, params) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(method)}` } };
    }
    const spec = METHODS[method];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-message', message: `${method}: ${describeIssues(parsed.error)}` } };
    }
    try {
      const handler = handlers[method] as (p: unknown) => Promise<unknown> | unknown;
      const result = await handler(parsed.data);
      const checked = spec.result.safeParse(result);
      if (!checked.success) {
        return { ok: false, error: { code: 'internal', message: `${method} produced an invalid reply: ${describeIssues(checked.error)}` } };
      }
      return { ok: true, result: checked.data };
    } catch (err) {
      return { ok: false, error: toErrorBody(err) };
    }
  };
}

/** Maps any thrown value to the wire's error body. */
export function toErrorBody(err: unknown): { code: StudioError['code']; message: string } {
  if (err instanceof StudioError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
