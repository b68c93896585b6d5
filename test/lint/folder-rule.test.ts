// The renderer's folder rules fail the lint: the app folder never imports a feature, and no two folders import each other.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function messages(filePath: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'studio/folder-cycle').map((m) => ({ rule: m.ruleId, message: m.message }));
}

const circles = async (filePath: string, code: string) => (await messages(filePath, code)).filter((m) => m.rule === 'studio/folder-cycle');

describe('renderer folder rules', () => {
  it('fails the app folder importing a feature, which imports the app folder back', async () => {
    // features/train registers its session part with src-renderer/app, so it imports the app folder.
    const code = "import { useTrainStore } from '../features/train/train.store';\nexport const t = useTrainStore;\n";
    const found = await messages('src-renderer/app/planted.ts', code);
    expect(found.map((m) => m.rule).sort()).toEqual(['no-restricted-imports', 'studio/folder-cycle']);
    expect(found.find((m) => m.rule === 'studio/folder-cycle')?.message).toMatch(/'app' imports 'features\/train', which imports it back \(src-renderer\/features\/train\//);
  });

  it('keeps every non-feature folder of the renderer off the features, circle or not', async () => {
    // No file of features/export imports components/, so only the layer part of the rule speaks.
    const found = await messages('src-renderer/components/Planted.vue', "<script setup lang=\"ts\">\nimport { useExportStore } from '../features/export/export.store';\nuseExportStore();\n</script>\n");
    expect(found.map((m) => m.rule)).toEqual(['no-restricted-imports']);
  });

  it('fails two features importing each other, and lets one use the other one way', async () => {
    // features/sample imports the data store, so data may not import sample...
    expect(await circles('src-renderer/features/data/planted.ts', "import { useSampleStore } from '../sample/sample.store';\nexport const s = useSampleStore;\n")).toHaveLength(1);
    // ...while sample importing data (nothing in data imports sample) is fine, as is a feature importing the app folder.
    expect(await circles('src-renderer/features/sample/planted.ts', "import { useDatasetsStore } from '../data/datasets.store';\nexport const d = useDatasetsStore;\n")).toHaveLength(0);
    expect(await messages('src-renderer/features/lab/planted.ts', "import { useAppStore } from '../../app/app.store';\nexport const a = useAppStore;\n")).toHaveLength(0);
  });

  it('leaves the shell and tests free to wire folders together', async () => {
    expect(await messages('src-renderer/planted.ts', "import { useTrainStore } from './features/train/train.store';\nimport { useAppStore } from './app/app.store';\nexport const x = [useTrainStore, useAppStore];\n")).toHaveLength(0);
    expect(await messages('src-renderer/app/planted.test.ts', "import { useTrainStore } from '../features/train/train.store';\nexport const t = useTrainStore;\n")).toHaveLength(0);
  });
});
