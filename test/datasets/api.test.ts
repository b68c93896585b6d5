// The data-set import methods of the API over the direct client: import (path, bytes, folder, preview), load, delete, MNIST.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-core/api/contract';
import { TRANSPORTS, type Connection } from '../contract/transports';
import { pngOf, rejection } from './fixtures';

let conn: Connection;
beforeEach(async () => {
  conn = await TRANSPORTS.direct();
});
afterEach(() => conn.close());

describe('datasets API', () => {
  it('imports a CSV by path, lists it, loads it, deletes it, and says so in events', async () => {
    const events: EventPayload<'datasets.changed'>[] = [];
    const off = conn.api.on('datasets.changed', (e) => events.push(e));
    const path = join(conn.workspace, 'in.csv');
    await writeFile(path, 'a;b\n1;2\n3;4\n5;6\n');
    const { preview, saved } = await conn.api.call('datasets.import', { name: 'Points', path });
    expect(preview.shape).toEqual([3, 2]);
    expect(preview.notes[0]).toBe('row 1 read as column names: a, b');
    expect(saved?.name).toBe('Points');
    const id = saved?.id ?? '';
    expect((await conn.api.call('datasets.saved', {})).map((s) => s.id)).toContain(id);
    const loaded = await conn.api.call('datasets.load', { id, maxPoints: 2 });
    expect(loaded).toMatchObject({ id, shape: [2, 2], total: 3, labels: null, classes: null });
    expect(Array.from(loaded.data)).toEqual([1, 2, 3, 4]);
    expect(await conn.api.call('datasets.delete', { id })).toEqual({ id });
    expect(await conn.api.call('datasets.saved', {})).toEqual([]);
    expect((await rejection(conn.api.call('datasets.load', { id }))).code).toBe('not-found');
    expect((await rejection(conn.api.call('datasets.delete', { id }))).code).toBe('not-found');
    expect(events.map((e) => e.saved.length)).toEqual([1, 0]);
    off();
  });

  it('previews uploaded bytes without writing anything, then saves them', async () => {
    const bytes = new TextEncoder().encode('[[1, 2], [3, 4]]');
    const first = await conn.api.call('datasets.import', { name: 'up', bytes, fileName: 'up.json', preview: true });
    expect(first.saved).toBeNull();
    expect(Array.from(first.preview.head)).toEqual([1, 2, 3, 4]);
    expect(await readdir(conn.workspace)).toEqual([]);
    const second = await conn.api.call('datasets.import', { name: 'up', bytes, fileName: 'up.json' });
    expect(second.saved?.source).toEqual({ id: 'json', file: 'up.json' });
  });

  it('imports a dropped folder of images with labels from its subfolders', async () => {
    const files = [
      { path: 'cat/1.png', bytes: pngOf(4, 4, 3, 1) },
      { path: 'dog/2.png', bytes: pngOf(4, 4, 3, 2) },
    ];
    const { saved } = await conn.api.call('datasets.import', { name: 'pets', files, fileName: 'pets' });
    const loaded = await conn.api.call('datasets.load', { id: saved?.id ?? '' });
    expect(loaded.shape).toEqual([2, 3, 4, 4]);
    expect(Array.from(loaded.labels ?? [])).toEqual([0, 1]);
    expect(loaded.classes).toEqual(['cat', 'dog']);
  });

  it('answers a malformed file with a message that names the file and the place', async () => {
    const root = join(conn.workspace, 'digits');
    await mkdir(root);
    for (const name of ['0.png', '1.png', '7.png']) await writeFile(join(root, name), name === '7.png' ? pngOf(32, 30, 1) : pngOf(28, 28, 1));
    const err = await rejection(conn.api.call('datasets.import', { name: 'd', path: root }));
    expect(err.code).toBe('invalid-shape');
    expect(err.message).toBe('digits/7.png is 32x30, the others are 28x28; every image must have the same size');
    const bad = await rejection(conn.api.call('datasets.import', { name: 'd', bytes: new TextEncoder().encode('[[1, 2], [1]]'), fileName: 'r.json' }));
    expect(bad.message).toBe('r.json: item 1 has 1 numbers, expected 2');
    expect((await readdir(conn.workspace)).sort()).toEqual(['digits']);
  });

  it('checks its parameters', async () => {
    const none = await rejection(conn.api.call('datasets.import', { name: 'x' }));
    expect(none.code).toBe('invalid-message');
    expect(none.message).toContain('give exactly one of path, upload, bytes (with fileName) or files (with fileName)');
    expect((await rejection(conn.api.call('datasets.load', { id: '../runs' }))).code).toBe('invalid-message');
  });

  it('saves MNIST digits with their labels', async () => {
    const saved = await conn.api.call('datasets.mnist', { count: 30, digits: [0, 1, 2] });
    expect(saved).toMatchObject({ name: 'MNIST 0, 1, 2', shape: [30, 1, 28, 28], source: { id: 'mnist', digits: [0, 1, 2] } });
    expect(saved.normalisation?.scaled).toBe('unit-interval');
    const loaded = await conn.api.call('datasets.load', { id: saved.id });
    expect(Array.from(loaded.labels ?? []).slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(loaded.data).toHaveLength(30 * 784);
    expect(loaded.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});

describe.each(['websocket', 'ipc'])('datasets API over %s', (transport) => {
  it('carries uploaded bytes in and float32 rows with int32 labels out', async () => {
    const other = await TRANSPORTS[transport]();
    try {
      const bytes = new TextEncoder().encode('{"data": [1, 2, 3, 4], "shape": [2, 2], "labels": [1, 0]}');
      const { saved } = await other.api.call('datasets.import', { name: 'w', bytes, fileName: 'w.json' });
      const loaded = await other.api.call('datasets.load', { id: saved?.id ?? '' });
      expect(loaded.data).toBeInstanceOf(Float32Array);
      expect(Array.from(loaded.data)).toEqual([1, 2, 3, 4]);
      expect(loaded.labels).toBeInstanceOf(Int32Array);
      expect(Array.from(loaded.labels ?? [])).toEqual([1, 0]);
    } finally {
      await other.close();
    }
  });
});
