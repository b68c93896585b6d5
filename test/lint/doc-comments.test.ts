// Every public function of src-core says in a doc comment what it does, and every file opens with a line saying what it holds.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('fixture') && !name.startsWith('test-') ? [path] : [];
  });
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;

/** Names of exported functions (and public methods of exported classes) without a doc comment. */
function undocumented(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const missing: string[] = [];
  for (const node of source.statements) {
    if (!isExported(node)) continue;
    if (ts.isFunctionDeclaration(node) && !hasDoc(node)) missing.push(node.name?.text ?? 'default');
    if (ts.isVariableStatement(node)) {
      for (const decl of node.declarationList.declarations) {
        const init = decl.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && !hasDoc(node)) missing.push(decl.name.getText());
      }
    }
    if (ts.isClassDeclaration(node)) {
      if (!hasDoc(node)) missing.push(node.name?.text ?? 'class');
      for (const member of node.members) {
        const isPrivate = ((ts.canHaveModifiers(member) ? ts.getModifiers(member) : undefined) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        if (ts.isMethodDeclaration(member) && !isPrivate && !hasDoc(member)) missing.push(`${node.name?.text}.${member.name.getText()}`);
      }
    }
  }
  return missing;
}

describe('src-core documentation', () => {
  const files = sourceFiles('src-core');
  it('documents every public function in one line', () => {
    const report = files.flatMap((f) => undocumented(f).map((name) => `${f}: ${name}`));
    expect(report).toEqual([]);
  });
  it('opens every file with a comment saying what it holds', () => {
    const bare = files.filter((f) => !readFileSync(f, 'utf8').startsWith('//'));
    expect(bare).toEqual([]);
  });
  it('finds undocumented functions when there are some', () => {
    const probe = join('src-core', 'errors.ts');
    expect(undocumented(probe)).toEqual([]);
    const src = ts.createSourceFile('x.ts', 'export function f() {}', ts.ScriptTarget.ES2022, true);
    expect(ts.isFunctionDeclaration(src.statements[0]) && !hasDoc(src.statements[0])).toBe(true);
  });
});
