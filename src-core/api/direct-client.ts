// The in-process binding of the API: calls go straight to the dispatcher (command line, tests).
import type { Dispatch } from './dispatcher';
import type { EventHub } from './event-hub';
import { EVENTS } from './contract';
import { unwrapReply, type StudioApi } from './studio-api';

/** An API whose calls run in this process, still validated exactly as over a wire. */
export function createDirectClient(dispatch: Dispatch, events: EventHub): StudioApi {
  return {
    async call(method, params) {
      const reply = await dispatch(method, structuredClone(params));
      return unwrapReply(reply) as never;
    },
    on(event, listener) {
      return events.on(event, (payload) => {
        const parsed = EVENTS[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
  };
}

