// Application-level methods of the API: what the studio is, where it runs, and the workspace folder it works in.
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
  /**
   * Works in another folder from now on (made if it is not there): runs in progress checkpoint and pause first, and every
   * page is told (app.workspaceChanged). The headless server takes it; the desktop app changes folders from its File menu.
   */
  'app.changeWorkspace': {
    params: z.object({ path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ workspace: z.string() }),
  },
} as const;

/** Application events: the studio now works in another folder (a page reloads to show it). */
export const APP_EVENTS = {
  'app.workspaceChanged': z.object({ workspace: z.string() }).strict(),
} as const;
