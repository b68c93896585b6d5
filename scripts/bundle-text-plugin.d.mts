// Types of bundle-text-plugin.mjs for the TypeScript build configurations that use it.
import type { Plugin } from 'vite';

/** The Vite plugin behind `?bundle` imports: a module bundled with what it imports, as the text of one ES module. */
export function bundleText(): Plugin;
