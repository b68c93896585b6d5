// The Electron IPC binding: the studio's API built on the bridge the preload exposes as window.studio.
import { EVENTS, isEventName, replySchema, type Reply } from './contract';
import { StudioError } from '../errors';
import { unwrapReply, type StudioApi } from './studio-api';
import type { StudioBridge } from './ipc-channels';

/** Wraps the preload's bridge into the studio's API, checking what comes back. */
export function createBridgeClient(bridge: StudioBridge): StudioApi {
  return {
    async call(method, params) {
      const reply = replySchema.safeParse(await bridge.invoke(method, params));
      if (!reply.success) throw new StudioError('invalid-message', `malformed reply to ${method}`);
      return unwrapReply(reply.data as Reply) as never;
    },
    on(event, listener) {
      if (!isEventName(event)) throw new StudioError('unknown-name', `unknown event '${String(event)}'`);
      return bridge.subscribe(event, (payload) => {
        const parsed = EVENTS[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
  };
}
