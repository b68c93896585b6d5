// Frames of the WebSocket transport: client calls, server replies and server events.
import { z } from 'zod';
import { errorSchema } from './contract';

/** A call from a client: a numeric id, the method's name and its parameters. */
export const callFrameSchema = z.object({ id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() }).strict();

/** What the server sends: a reply to a call (id null when the call could not be read) or an event. */
export const serverFrameSchema = z.union([
  z.object({ id: z.number().int().nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int().nullable(), ok: z.literal(false), error: errorSchema }),
  z.object({ event: z.string(), payload: z.unknown() }),
]);

/** Largest frame either side accepts (a million 2-D float32 points in base64 fits). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Path of the API endpoint on the server. */
export const WS_PATH = '/api';
