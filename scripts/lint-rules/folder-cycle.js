// Lint rule: an import from one folder into another that imports it back (a circle between folders) fails.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCE = /\.(ts|vue)$/;
const TEST = /\.test\.ts$/;
const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * The folder a path belongs to under root: its first folder, or for a folder named in `nested` (features) the folder
 * inside it. Files directly in root (the shell that composes the folders) belong to none.
 */
function folderOf(file, root, nested) {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  const isDir = (p) => existsSync(p) && statSync(p).isDirectory();
  const depth = nested.includes(parts[0]) ? 2 : 1;
  if (parts.length > depth) return parts.slice(0, depth).join('/');
  return parts.length === depth && isDir(file) ? parts.join('/') : null;
}

/** Every source file under a folder, tests left out (they wire folders together as the shell does). */
function sourcesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(p);
    return SOURCE.test(e.name) && !TEST.test(e.name) ? [p] : [];
  });
}

// Per file, by modification time: the folders its relative imports reach.
const reachCache = new Map();
function foldersReachedBy(file, root, nested) {
  const mtime = statSync(file).mtimeMs;
  const hit = reachCache.get(file);
  if (hit && hit.mtime === mtime) return hit.folders;
  const folders = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const f = folderOf(path.resolve(path.dirname(file), m[1]), root, nested);
    if (f) folders.add(f);
  }
  reachCache.set(file, { mtime, folders });
  return folders;
}

/** The first file of a folder that imports the other folder, or null. */
function importerIn(folder, other, root, nested) {
  const dir = path.join(root, ...folder.split('/'));
  if (!existsSync(dir)) return null;
  return sourcesUnder(dir).find((f) => foldersReachedBy(f, root, nested).has(other)) ?? null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid an import between two folders that import each other' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, nested: { type: 'array', items: { type: 'string' } } },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      circle: "'{{from}}' imports '{{to}}', which imports it back ({{back}}): one of the two must not know the other (a feature registers with the app instead of being imported by it).",
    },
  },
  create(context) {
    const { root: rootOption, nested = [] } = context.options[0];
    const root = path.resolve(context.cwd, rootOption);
    const file = path.resolve(context.cwd, context.filename);
    const from = folderOf(file, root, nested);
    if (!from || TEST.test(file)) return {};
    const check = (node) => {
      const spec = node.source && node.source.type === 'Literal' ? node.source.value : null;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = folderOf(path.resolve(path.dirname(file), spec), root, nested);
      if (!to || to === from) return;
      const back = importerIn(to, from, root, nested);
      if (back) context.report({ node, messageId: 'circle', data: { from, to, back: path.relative(context.cwd, back).split(path.sep).join('/') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
