// Which exported names of the project's modules some other module imports: read from the import and export statements of every .ts and .vue file.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** A module's text by its path relative to the root (a .vue file gives its script blocks). */
type Sources = ReadonlyMap<string, string>;

/** What one module declares and takes from others. */
interface ModuleFacts {
  /** Names it exports from its own declarations. */
  readonly own: Set<string>;
  /** Names it passes on from another module: exported name -> [module, name there]. */
  readonly reexports: Map<string, [string, string]>;
  /** Modules whose every export it passes on (export * from). */
  readonly starFrom: string[];
  /** Names it takes from other modules ('*' for all of them). */
  readonly imports: [string, string][];
  /** Its own exported names it also uses itself. */
  readonly usedInside: Set<string>;
}

const SKIPPED = new Set(['node_modules', 'out', 'dist', 'test-artifacts']);

/** Every .ts and .vue file under the given folders of root (declaration files left out), by relative path. */
export function readSources(root: string, folders: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (SKIPPED.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if ((name.endsWith('.ts') && !name.endsWith('.d.ts')) || name.endsWith('.vue')) out.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  for (const f of folders) if (existsSync(join(root, f))) walk(join(root, f));
  return out;
}

/** The script blocks of a single-file component, as one TypeScript text. */
function scriptOf(path: string, text: string): string {
  if (!path.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** The module a relative specifier names, or null for a package or a file outside the sources. */
function resolveSpecifier(from: string, spec: string, sources: Sources): string | null {
  if (!spec.startsWith('.')) return null;
  const base = join(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) if (sources.has(candidate)) return candidate;
  return null;
}

const hasExport = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDefault = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/** Names a top-level statement declares. */
function declaredNames(node: ts.Statement): string[] {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) return [node.name.text];
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)) return [node.name.text];
  return [];
}

function factsOf(path: string, text: string, sources: Sources): ModuleFacts {
  const source = ts.createSourceFile(path, scriptOf(path, text), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const facts: ModuleFacts = { own: new Set(), reexports: new Map(), starFrom: [], imports: [], usedInside: new Set() };
  const target = (spec: ts.Expression | undefined): string | null => (spec && ts.isStringLiteral(spec) ? resolveSpecifier(path, spec.text, sources) : null);
  // where a local name is exported under another name (export { a as b })
  const exportedAs = new Map<string, string[]>();
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const from = target(node.moduleSpecifier);
      const clause = node.importClause;
      if (!from || !clause) continue;
      // a ?bundle import takes the module whole, as the text of a file whose every export the page it is written for uses
      if (ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.endsWith('?bundle')) {
        facts.imports.push([from, '*']);
        continue;
      }
      if (clause.name) facts.imports.push([from, 'default']);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) facts.imports.push([from, '*']);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) facts.imports.push([from, (e.propertyName ?? e.name).text]);
    } else if (ts.isExportDeclaration(node)) {
      const from = target(node.moduleSpecifier);
      if (node.moduleSpecifier && !from) continue;
      const clause = node.exportClause;
      if (!clause) {
        if (from) facts.starFrom.push(from);
      } else if (ts.isNamespaceExport(clause)) {
        if (from) {
          facts.own.add(clause.name.text);
          facts.imports.push([from, '*']);
        }
      } else {
        for (const e of clause.elements) {
          const local = (e.propertyName ?? e.name).text;
          if (from) facts.reexports.set(e.name.text, [from, local]);
          else {
            facts.own.add(e.name.text);
            exportedAs.set(local, [...(exportedAs.get(local) ?? []), e.name.text]);
          }
        }
      }
    } else if (ts.isExportAssignment(node)) {
      facts.own.add('default');
    } else if (hasExport(node)) {
      for (const name of hasDefault(node) ? ['default'] : declaredNames(node)) facts.own.add(name);
    }
  }
  // import('...') and typeof import('...') take what they name, or everything
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const from = target(node.arguments[0]);
      if (from) facts.imports.push([from, '*']);
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      const from = resolveSpecifier(path, node.argument.literal.text, sources);
      if (from) facts.imports.push([from, node.qualifier ? node.qualifier.getText().split('.')[0] : '*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // an exported name the module itself refers to besides its declaration
  const own = new Set(facts.own);
  const uses = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && own.has(node.text)) {
      const parent = node.parent;
      // the name in its own declaration, after a dot, as a property key or in an export list is not a use
      const isDeclarationName = ('name' in parent && (parent as { name?: ts.Node }).name === node && !ts.isShorthandPropertyAssignment(parent)) || ts.isExportSpecifier(parent);
      if (!isDeclarationName) facts.usedInside.add(node.text);
    }
    ts.forEachChild(node, uses);
  };
  uses(source);
  for (const [local, names] of exportedAs) if (facts.usedInside.has(local)) for (const n of names) facts.usedInside.add(n);
  return facts;
}

/** An exported name no other module imports: whether its own module still uses it (then it only needs un-exporting). */
export interface UnusedExport {
  readonly file: string;
  readonly name: string;
  readonly usedInside: boolean;
}

/** The exported names of the sources that no other source imports, directly or through re-exports. */
export function unusedExports(sources: Sources): UnusedExport[] {
  const facts = new Map<string, ModuleFacts>();
  for (const [path, text] of sources) facts.set(path, factsOf(path, text, sources));
  const used = new Set<string>();
  const queue: [string, string][] = [...facts.values()].flatMap((f) => f.imports);
  const key = (file: string, name: string) => `${file}\u0000${name}`;
  while (queue.length > 0) {
    const [file, name] = queue.pop() as [string, string];
    const f = facts.get(file);
    if (!f) continue;
    if (name === '*') {
      for (const n of [...f.own, ...f.reexports.keys()]) queue.push([file, n]);
      for (const s of f.starFrom) queue.push([s, '*']);
      continue;
    }
    if (used.has(key(file, name))) continue;
    used.add(key(file, name));
    const re = f.reexports.get(name);
    if (re) queue.push(re);
    else if (!f.own.has(name)) for (const s of f.starFrom) queue.push([s, name]);
  }
  const out: UnusedExport[] = [];
  for (const [file, f] of facts) {
    for (const name of [...f.own, ...f.reexports.keys()]) {
      if (!used.has(key(file, name))) out.push({ file, name, usedInside: f.usedInside.has(name) });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

/** The project root (two folders above this file). */
export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
