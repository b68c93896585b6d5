// The dispatcher answers every method's worst params quickly and in a few kilobytes, and never lets them reach a handler.
import { describe, expect, it } from 'vitest';
import { METHODS, type MethodName } from './contract';
import { boundedErrorBody, createDispatcher, MAX_ERROR_MESSAGE_CHARS, type Handlers } from './dispatcher';
import { MAX_DETAILS, MAX_DETAIL_CHARS } from '../validation';
import { StudioError } from '../errors';

/** Handlers that fail the test if bad params get through to one. */
const unreachable = new Proxy({} as Handlers, {
  get: (_t, method) => () => {
    throw new Error(`handler ${String(method)} reached with params the contract refuses`);
  },
});

const methods = Object.keys(METHODS) as MethodName[];
const replyBytes = (reply: unknown) => JSON.stringify(reply).length;

describe('dispatcher under hostile params', () => {
  // what a 16 MiB frame of {"$u8": base64} decodes to
  const bytes = new Uint8Array(12 * 1024 * 1024);

  it('answers a typed array given as params, or as any setting, in milliseconds and a few kilobytes for every method', async () => {
    const dispatch = createDispatcher(unreachable);
    let slowest = 0;
    for (const method of methods) {
      // as the whole params, under every key the method knows, and under a key it does not
      const keys = Object.keys((METHODS[method].params as unknown as { shape?: object }).shape ?? {});
      const attempts = [bytes, Object.fromEntries([...keys, 'unknownKey'].map((k) => [k, bytes])), { model: { kind: 'oracle', mixture: bytes, schedule: {} } }];
      for (const params of attempts) {
        const start = performance.now();
        const reply = await dispatch(method, params);
        slowest = Math.max(slowest, performance.now() - start);
        expect(reply.ok, method).toBe(false);
        if (reply.ok) continue;
        expect(reply.error.code).toBe('invalid-message');
        expect(replyBytes(reply)).toBeLessThan(16_384);
      }
    }
    // zod alone lists twelve million unknown keys for about ten seconds
    expect(slowest).toBeLessThan(250);
  });

  it('bounds the message, details and paths of every error reply, whatever input they quote', async () => {
    const long = 'x'.repeat(1_000_000);
    const dispatch = createDispatcher({ ...unreachable, 'app.info': () => Promise.reject(new StudioError('internal', long, Array.from({ length: 50 }, () => ({ path: [long, ...Array(40).fill(1)], message: long })))) });
    const unknown = await dispatch(long, {});
    expect(unknown.ok).toBe(false);
    expect(replyBytes(unknown)).toBeLessThan(1000);
    // a record key a megabyte long, holding the wrong type
    const badKey = await dispatch('datasets.generate', { id: 'two-moons', count: 10, seed: 1, params: { [long]: 'not a number' } });
    expect(replyBytes(badKey)).toBeLessThan(16_384);
    const thrown = await dispatch('app.info', {});
    if (thrown.ok) throw new Error('expected a failure');
    expect(thrown.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
    expect(thrown.error.details).toHaveLength(MAX_DETAILS);
    for (const d of thrown.error.details ?? []) {
      expect(d.message.length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
      expect(d.path.length).toBeLessThanOrEqual(16);
      expect(String(d.path[0]).length).toBeLessThanOrEqual(100);
    }
    expect(replyBytes(thrown)).toBeLessThan(16_384);
  });

  it('leaves a short error as it is', () => {
    const error = { code: 'not-found' as const, message: 'no run r1', details: [{ path: ['runId'], message: 'unknown run' }] };
    expect(boundedErrorBody(error)).toEqual(error);
  });
});
