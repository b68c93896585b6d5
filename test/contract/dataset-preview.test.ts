// The import preview over every transport: a set of vectors previewed whole (evenly thinned past previewPoints) with its labels; images keep their first few.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { StudioError } from '../../src-core/errors';
import { TRANSPORTS, type Connection } from './transports';

/** n rows "i, i + 0.5, class" with class names a, b, c in turn. */
function csv(n: number): Uint8Array<ArrayBuffer> {
  const lines = ['x,y,kind'];
  for (let i = 0; i < n; i++) lines.push(`${i},${i + 0.5},${'abc'[i % 3]}`);
  return new Uint8Array(new TextEncoder().encode(lines.join('\n') + '\n'));
}

for (const [name, open] of Object.entries(TRANSPORTS)) {
  describe(`import preview over ${name}`, () => {
    let c: Connection;
    beforeEach(async () => {
      c = await open();
    });
    afterEach(async () => {
      await c.close();
    });

    it('carries every row of a set that fits previewPoints, and without it the first 16', async () => {
      const bytes = csv(500);
      const whole = (await c.api.call('datasets.import', { name: 'p', bytes, fileName: 'p.csv', preview: true, previewPoints: 20_000 })).preview;
      expect(whole.shape).toEqual([500, 2]);
      expect(whole.head.length).toBe(1000);
      expect([whole.head[998], whole.head[999]]).toEqual([499, 499.5]);
      expect(whole.classes).toEqual(['a', 'b', 'c']);
      expect([...(whole.headLabels ?? [])].slice(0, 4)).toEqual([0, 1, 2, 0]);
      const first = (await c.api.call('datasets.import', { name: 'p', bytes, fileName: 'p.csv', preview: true })).preview;
      expect(first.head.length).toBe(32);
    });

    it('thins a larger set evenly, labels with their rows, and writes nothing', async () => {
      const preview = (await c.api.call('datasets.import', { name: 'big', bytes: csv(30_000), fileName: 'big.csv', preview: true, previewPoints: 20_000 })).preview;
      expect(preview.shape).toEqual([30_000, 2]);
      expect(preview.head.length).toBe(40_000);
      // row k of the preview is row floor(1.5 k) of the file, first and last included
      for (const k of [0, 1, 2, 3, 7777, 19_999]) {
        const row = Math.floor((k * 30_000) / 20_000);
        expect([preview.head[2 * k], preview.head[2 * k + 1], preview.headLabels?.[k]]).toEqual([row, row + 0.5, row % 3]);
      }
      expect(await c.api.call('datasets.saved', {})).toEqual([]);
    });

    it('keeps the first images of an image folder, and refuses previewPoints without a preview', async () => {
      const png = Buffer.from(encode({ width: 4, height: 4, data: new Uint8Array(16).fill(200), channels: 1, depth: 8 }));
      const files = Array.from({ length: 20 }, (_, i) => ({ path: `${i % 2}/${i}.png`, bytes: new Uint8Array(png) }));
      const images = (await c.api.call('datasets.import', { name: 'im', files, fileName: 'im', preview: true, previewPoints: 20_000 })).preview;
      expect(images.shape).toEqual([20, 1, 4, 4]);
      expect(images.head.length).toBe(16 * 16);
      let err: unknown = null;
      try {
        await c.api.call('datasets.import', { name: 'p', bytes: csv(5), fileName: 'p.csv', previewPoints: 10 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StudioError);
      expect((err as StudioError).details).toEqual([{ path: ['previewPoints'], message: 'previewPoints shapes a preview: give it with preview: true' }]);
      expect(await c.api.call('datasets.saved', {})).toEqual([]);
    });
  });
}
