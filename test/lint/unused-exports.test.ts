// Every exported name of the project is imported by some other module: an export nothing takes is dead or belongs to its own file.
import { describe, expect, it } from 'vitest';
import { ROOT, readSources, unusedExports, type UnusedExport } from './export-graph';

const FOLDERS = ['src-core', 'src-main', 'src-preload', 'src-renderer', 'test', 'bench'];

/** One line per finding, saying what to do with it. */
const lines = (found: readonly UnusedExport[]) => found.map((u) => `${u.file}: ${u.name} ${u.usedInside ? 'is used only in its own file: drop the export' : 'is used nowhere: remove it'}`);

describe('exports', () => {
  it('are each imported by another module', () => {
    expect(lines(unusedExports(readSources(ROOT, FOLDERS)))).toEqual([]);
  });

  it('are found unused when planted so, and used through named, namespace, dynamic, re-exported and component imports', () => {
    const sources = new Map([
      ['lib/a.ts', 'export const taken = 1;\nexport function inside() { return 2; }\nexport const lost = inside();\nexport type Shape = { n: number };\n'],
      ['lib/b.ts', 'export const viaStar = 1;\nexport const starLost = 2;\nexport const viaNamespace = 3;\n'],
      ['lib/c.ts', 'export const viaDynamic = 1;\nexport const viaVue = 2;\nexport default 3;\n'],
      ['lib/index.ts', "export * from './b';\nexport { taken as renamed } from './a';\nexport { inside } from './a';\n"],
      ['app/use.ts', "import { renamed, viaStar } from '../lib';\nimport type { Shape } from '../lib/a';\nimport * as ns from '../lib/b';\nexport async function run(s: Shape) { return [renamed, viaStar, ns, s, await import('../lib/c')]; }\n"],
      ['app/View.vue', "<template><p/></template>\n<script setup lang=\"ts\">\nimport { viaVue } from '../lib/c';\nimport { run } from './use';\n</script>\n"],
    ]);
    expect(lines(unusedExports(sources))).toEqual([
      'lib/a.ts: inside is used only in its own file: drop the export',
      'lib/a.ts: lost is used nowhere: remove it',
      'lib/index.ts: inside is used nowhere: remove it',
    ]);
    // the namespace import takes all of b, the dynamic import all of c: only a plain star re-export with no importer leaves one unused
    const withoutNamespace = new Map(sources).set('app/use.ts', "import { renamed, viaStar } from '../lib';\nimport type { Shape } from '../lib/a';\nexport function run(s: Shape) { return [renamed, viaStar, s]; }\n");
    expect(lines(unusedExports(withoutNamespace))).toEqual([
      'lib/a.ts: inside is used only in its own file: drop the export',
      'lib/a.ts: lost is used nowhere: remove it',
      'lib/b.ts: starLost is used nowhere: remove it',
      'lib/b.ts: viaNamespace is used nowhere: remove it',
      'lib/c.ts: default is used nowhere: remove it',
      'lib/c.ts: viaDynamic is used nowhere: remove it',
      'lib/index.ts: inside is used nowhere: remove it',
    ]);
  });

  it('counts a ?bundle import as taking the whole module (its text is written out for a page), and a plain import as taking its names only', () => {
    const page = ['web/gen.ts', 'export function draw() { return 1; }\nexport const spare = 2;\n'] as const;
    const bundled = new Map([page, ['app/export.ts', "import text from '../web/gen.ts?bundle';\nexport const files = { text };\n"], ['app/use.ts', "import { files } from './export';\nconsole.log(files);\n"]]);
    expect(lines(unusedExports(bundled))).toEqual([]);
    const plain = new Map([page, ['app/export.ts', "import { draw } from '../web/gen';\nexport const files = { draw };\n"], ['app/use.ts', "import { files } from './export';\nconsole.log(files);\n"]]);
    expect(lines(unusedExports(plain))).toEqual(['web/gen.ts: spare is used nowhere: remove it']);
  });
});
