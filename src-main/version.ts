// The studio's name and version, from package.json at build time.
import pkg from '../package.json';

/** The studio's version string. */
export const STUDIO_VERSION: string = pkg.version;
