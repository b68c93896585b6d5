// A Vite plugin for `import text from './module.ts?bundle'`: the module and what it imports, bundled into one plain ES
// module whose source becomes the default export (a file the studio writes out for a browser to load, built from the
// same TypeScript the studio runs).
import { rolldown } from 'rolldown';

const SUFFIX = '?bundle';

/** The plugin; electron.vite.config.ts and vitest.config.ts both use it, so a build and the tests see the same text. */
export function bundleText() {
  return {
    name: 'studio-bundle-text',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith(SUFFIX)) return null;
      const target = await this.resolve(source.slice(0, -SUFFIX.length), importer, { skipSelf: true });
      return target ? `${target.id}${SUFFIX}` : null;
    },
    async load(id) {
      if (!id.endsWith(SUFFIX)) return null;
      const bundle = await rolldown({ input: id.slice(0, -SUFFIX.length), logLevel: 'warn' });
      try {
        const { output } = await bundle.generate({ format: 'es' });
        if (output.length !== 1) throw new Error(`${id} bundled into ${output.length} files; a page module must be one`);
        for (const file of await bundle.watchFiles) this.addWatchFile(file);
        return `export default ${JSON.stringify(output[0].code)};\n`;
      } finally {
        await bundle.close();
      }
    },
  };
}
