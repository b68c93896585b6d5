// Application-level methods of the API: what the studio is and where it runs.
import { z } from 'zod';

/** Application methods: request and reply schemas. */
export const APP_METHODS = {
  'app.info': {
    params: z.object({}).strict(),
    result: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'server', 'direct']),
      platform: z.string(),
      workspace: z.string(),
    }),
  },
} as const;
