// The recent workspaces and files: newest first, capped, missing entries pruned with a note, a damaged file started afresh, every write whole.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECENT_MAX, RecentList } from './recent-list';

let dir: string;
let settings: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-recent-'));
  settings = join(dir, 'settings');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const folder = (name: string) => {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  return p;
};
const file = (name: string) => {
  const p = join(dir, name);
  writeFileSync(p, 'x');
  return p;
};

describe('RecentList', () => {
  it('keeps the newest first, moves a reopened entry up, and keeps at most RECENT_MAX', async () => {
    const list = new RecentList(settings);
    const a = folder('a');
    const b = folder('b');
    await list.add('workspaces', a);
    await list.add('workspaces', b);
    expect((await list.add('workspaces', a)).workspaces).toEqual([a, b]);
    for (let i = 0; i < RECENT_MAX + 3; i++) await list.add('files', file(`f${i}.csv`));
    const { lists, notes } = await new RecentList(settings).read();
    expect(lists.workspaces).toEqual([a, b]);
    expect(lists.files).toHaveLength(RECENT_MAX);
    expect(lists.files[0]).toBe(join(dir, `f${RECENT_MAX + 2}.csv`));
    expect(notes).toEqual([]);
    // written whole: no temp file left beside it
    expect(readdirSync(settings)).toEqual(['recent.json']);
  });

  it('prunes what is gone, or is no longer of its kind, with a note each, and writes the list without them', async () => {
    const list = new RecentList(settings);
    const kept = folder('kept');
    const gone = folder('gone');
    const data = file('d.npy');
    await list.add('workspaces', gone);
    await list.add('workspaces', kept);
    await list.add('workspaces', data); // a file is no workspace
    await list.add('files', data);
    rmSync(gone, { recursive: true });
    const { lists, pruned, notes } = await list.read();
    expect(lists).toEqual({ workspaces: [kept], files: [data] });
    expect(pruned).toEqual({ workspaces: [data, gone], files: [] });
    expect(notes).toEqual([`${data} is no longer there; it was taken off the recent workspaces.`, `${gone} is no longer there; it was taken off the recent workspaces.`]);
    expect(JSON.parse(readFileSync(join(settings, 'recent.json'), 'utf8'))).toEqual({ workspaces: [kept], files: [data] });
    expect((await list.read()).notes).toEqual([]);
  });

  it('starts afresh from a damaged file and says so once', async () => {
    mkdirSync(settings);
    writeFileSync(join(settings, 'recent.json'), '{"workspaces": [1');
    const list = new RecentList(settings);
    const first = await list.read();
    expect(first.lists).toEqual({ workspaces: [], files: [] });
    expect(first.notes).toEqual([`The list of recent workspaces and files in ${join(settings, 'recent.json')} was damaged; it starts afresh.`]);
    expect((await list.read()).notes).toEqual([]);
  });

  it('loses no entry when adds come at once', async () => {
    const list = new RecentList(settings);
    const paths = [0, 1, 2, 3, 4].map((i) => file(`p${i}.csv`));
    await Promise.all(paths.map((p) => list.add('files', p)));
    expect([...(await list.read()).lists.files].sort()).toEqual([...paths].sort());
  });
});
