// Where a user's workspace lives unless they choose another folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The workspace folder: $DIFFUSION_STUDIO_WORKSPACE, else ~/DiffusionStudio. */
export function defaultWorkspace(): string {
  const fromEnv = process.env.DIFFUSION_STUDIO_WORKSPACE;
  return fromEnv ? resolve(fromEnv) : join(homedir(), 'DiffusionStudio');
}
