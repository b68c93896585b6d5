// Checks a call against the contract, runs its handler and answers with a typed reply: never a throw.
import { messageOf, StudioError } from '../errors';
import { describeDetails, detailsOf, MAX_DETAIL_CHARS, MAX_DETAILS, safeParseStudio, type ErrorDetail } from '../validation';
import { METHODS, isMethodName, type MethodName, type Params, type Reply, type Result } from './contract';
import { misplacedTypedArrays } from './typed-array-slots';

/** The implementation of every method of the contract. */
export type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> | Result<M> };

/** The handlers of one domain's methods (a methods/<domain>.ts table). */
export type DomainHandlers<T> = { [M in keyof T & MethodName]: Handlers[M] };

/** Answers one call: (method, params) from any transport -> a reply. */
export type Dispatch = (method: unknown, params: unknown) => Promise<Reply>;

/** The error part of a failed reply. */
export type ErrorBody = Extract<Reply, { ok: false }>['error'];

/** Longest message an error reply carries; with the caps on details, no error reply passes a few tens of kilobytes. */
export const MAX_ERROR_MESSAGE_CHARS = 2000;
/** Most entries of a detail's path, and most characters of each of its keys. */
const MAX_PATH_ENTRIES = 16;
const MAX_PATH_KEY_CHARS = 100;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** An error body cut to the wire's bounds (message, number of details, each detail's message and path), whatever input it quotes. */
export function boundedErrorBody(error: ErrorBody): ErrorBody {
  const details = error.details?.slice(0, MAX_DETAILS).map((d) => ({
    path: d.path.slice(0, MAX_PATH_ENTRIES).map((p) => (typeof p === 'string' ? cut(p, MAX_PATH_KEY_CHARS) : p)),
    message: cut(d.message, MAX_DETAIL_CHARS),
  }));
  return { code: error.code, message: cut(error.message, MAX_ERROR_MESSAGE_CHARS), ...(details?.length ? { details } : {}) };
}

function invalidParams(method: string, details: ErrorDetail[]): Reply {
  return { ok: false, error: { code: 'invalid-message', message: `${method}: ${describeDetails(details)}`, details } };
}

/** Wraps handlers so every call is validated on the way in and on the way out, and every error reply is bounded. */
export function createDispatcher(handlers: Handlers): Dispatch {
  const answer = async (method: unknown, params: unknown): Promise<Reply> => {
    if (!isMethodName(method)) {
      const name = typeof method === 'string' ? cut(method, 80) : method;
      return { ok: false, error: { code: 'unknown-method', message: `unknown method ${cut(JSON.stringify(name) ?? String(name), 120)}` } };
    }
    const spec = METHODS[method];
    // typed arrays first: zod would walk one element by element where it expects settings
    const misplaced = misplacedTypedArrays(spec.params, params ?? {});
    if (misplaced.length) return invalidParams(method, misplaced);
    const parsed = safeParseStudio(spec.params, params ?? {});
    if (!parsed.success) return invalidParams(method, detailsOf(parsed.error));
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
  return async (method, params) => {
    const reply = await answer(method, params);
    return reply.ok ? reply : { ok: false, error: boundedErrorBody(reply.error) };
  };
}

/** Maps any thrown value to the wire's error body. */
function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof StudioError) return { code: err.code, message: err.message, ...(err.details.length ? { details: err.details.slice(0, MAX_DETAILS) } : {}) };
  const message = messageOf(err);
  return { code: 'internal', message };
}
