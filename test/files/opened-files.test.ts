// Files handed to a running studio by path: checked and kept by the host, taken by the page (which opens them in order) and by no second page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { OpenedFile } from '../../src-core/api/methods/files';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { followOpenedFiles } from '../../src-renderer/app/opened-files';

let base: string;
let host: StudioHost;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'studio-opened-'));
  host = createStudioHost({ workspace: join(base, 'ws'), version: 't', host: 'server' });
});

afterEach(async () => {
  await host.close();
  await rm(base, { recursive: true, force: true });
});

/** Waits (at most 5 s) until a condition holds. */
async function until(ok: () => boolean): Promise<void> {
  const end = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('files handed to the studio', () => {
  it('the page opens those waiting when it comes, and later ones as the studio announces them, in order; refusals and failures are noted', async () => {
    for (const name of ['a.onnx', 'b.npy', 'c.csv', 'd.json']) await writeFile(join(base, name), 'x');
    await host.openFiles(['a.onnx', 'gone.csv'], base);
    const opened: OpenedFile[] = [];
    const notes: string[] = [];
    const stop = followOpenedFiles(
      createDirectClient(host.dispatch, host.events),
      async (file) => {
        if (file.name === 'c.csv') throw new Error('c.csv could not be read');
        opened.push(file);
      },
      (text) => notes.push(text),
    );
    await until(() => opened.length === 1 && notes.length === 1);
    expect(opened).toEqual([{ path: join(base, 'a.onnx'), name: 'a.onnx', opensAs: 'model' }]);
    expect(notes).toEqual([`gone.csv cannot be opened: there is no file at ${join(base, 'gone.csv')}.`]);
    await host.openFiles([join(base, 'b.npy'), 'c.csv', 'd.json'], base);
    await until(() => opened.length === 3);
    expect(opened.map((f) => [f.name, f.opensAs])).toEqual([
      ['a.onnx', 'model'],
      ['b.npy', 'data'],
      ['d.json', 'data'],
    ]);
    await until(() => notes.length === 2);
    expect(notes[1]).toBe('c.csv could not be read');
    // once stopped, files handed over wait for the next page instead
    stop();
    await host.openFiles(['b.npy'], base);
    const api = createDirectClient(host.dispatch, host.events);
    expect((await api.call('files.takeOpened', {})).files.map((f) => f.name)).toEqual(['b.npy']);
    expect(opened).toHaveLength(3);
  });

  it('refuses a folder and a kind the studio does not open, and keeps no more than the newest fifty', async () => {
    const api = createDirectClient(host.dispatch, host.events);
    await writeFile(join(base, 'photo.pdf'), 'x');
    await mkdir(join(base, 'folder.onnx'));
    await host.openFiles([base, 'photo.pdf', 'folder.onnx', 'gone.onnx'], base);
    expect(await api.call('files.takeOpened', {})).toEqual({
      files: [],
      notes: [
        `${base.split('/').pop()} cannot be opened here: the studio opens .onnx, .npy, .csv, .tsv, .txt, .json files.`,
        'photo.pdf cannot be opened here: the studio opens .onnx, .npy, .csv, .tsv, .txt, .json files.',
        `folder.onnx cannot be opened: ${join(base, 'folder.onnx')} is not a file.`,
        `gone.onnx cannot be opened: there is no file at ${join(base, 'gone.onnx')}.`,
      ],
    });
    // a Linux file manager hands the .desktop's %U as file:// URLs; one for another machine is refused
    await writeFile(join(base, 'a b.onnx'), 'x');
    await host.openFiles([pathToFileURL(join(base, 'a b.onnx')).href, 'file://server/share/x.onnx'], '/');
    const fromUrls = await api.call('files.takeOpened', {});
    expect(fromUrls.files).toEqual([{ path: join(base, 'a b.onnx'), name: 'a b.onnx', opensAs: 'model' }]);
    expect(fromUrls.notes).toEqual(['file://server/share/x.onnx cannot be opened: it is not a file on this machine.']);
    await writeFile(join(base, 'm.npy'), 'x');
    await host.openFiles(Array.from({ length: 60 }, () => 'm.npy'), base);
    expect((await api.call('files.takeOpened', {})).files).toHaveLength(50);
  });
});
