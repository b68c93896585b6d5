// The studio's version, from package.json at build time (a named import keeps the rest of package.json out of the bundle).
import { version } from '../package.json';

/** The studio's version string. */
export const STUDIO_VERSION: string = version;
