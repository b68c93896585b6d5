// The layer rule fails the lint: each folder may import only from the layers above it.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-properties').map((m) => m.message);
}

describe('layer rule', () => {
  it('keeps src-core free of Node, Electron and other layers', async () => {
    expect(await restricted('src-core/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await restricted('src-core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restricted('src-core/x.ts', "import { a } from '../src-main/y';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src-core/x.ts', "import { Registry } from './registry';\nexport const r = Registry;\n")).toHaveLength(0);
    // Relative modules named like Node's built-ins are the project's own.
    expect(await restricted('src-core/x.ts', "import { a } from './path';\nimport { b } from '../events';\nexport const c = [a, b];\n")).toHaveLength(0);
    expect(await restricted('src-core/x.ts', "import { join } from 'path';\nimport { x } from 'fs/promises';\nexport const c = [join, x];\n")).toHaveLength(2);
    expect(await restricted('src-core/x.ts', "import { z } from 'vue';\nimport { w } from '@tensorflow/tfjs-node-gpu';\nexport const c = [z, w];\n")).toHaveLength(2);
  });
  it('keeps the renderer off Node, Electron and the main process', async () => {
    expect(await restricted('src-renderer/x.ts', "import { a } from '../src-main/services/studio-host';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src-renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const b = ipcRenderer;\n")).toHaveLength(1);
    expect(await restricted('src-renderer/x.ts', "import type { StudioApi } from '../src-core/api/studio-api';\nexport type A = StudioApi;\n")).toHaveLength(0);
  });
  it('keeps the preload to Electron and the contract', async () => {
    expect(await restricted('src-preload/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await restricted('src-preload/x.ts', "import { contextBridge } from 'electron';\nexport const a = contextBridge;\n")).toHaveLength(0);
  });
  it('forbids Math.random everywhere', async () => {
    expect(await restricted('src-main/x.ts', 'export const r = Math.random();\n')).toHaveLength(1);
  });
  it('forbids a bare process.kill outside the checked helper', async () => {
    const code = 'export const k = (pid: number) => process.kill(pid, "SIGKILL");\n';
    for (const file of ['src-main/x.ts', 'test/x.test.ts', 'scripts/x.mjs']) expect(await restricted(file, code), file).toHaveLength(1);
    expect(await restricted('src-main/process/signal.ts', code)).toHaveLength(0);
  });
});
