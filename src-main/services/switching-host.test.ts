// The server's workspace change: one host at a time behind one dispatch and event stream, the folder made or refused, changes one at a time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { EventName } from '../../src-core/api/contract';
import { StudioError } from '../../src-core/errors';
import { createStudioHost, type StudioHost } from './studio-host';
import { switchingHost } from './switching-host';

let base: string;
/** Each host opened, in order, and what happened to it: 'open <folder>' and 'closed <folder>'. */
let opened: StudioHost[];
let log: string[];
let studio: StudioHost;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'studio-switch-'));
  opened = [];
  log = [];
  studio = switchingHost(join(base, 'a'), (workspace, changeWorkspace) => {
    const host = createStudioHost({ workspace, version: 't', host: 'server', changeWorkspace });
    opened.push(host);
    log.push(`open ${workspace}`);
    return {
      ...host,
      close: async () => {
        // a slow checkpoint: the next host must still wait for it
        await new Promise((r) => setTimeout(r, 30));
        await host.close();
        log.push(`closed ${workspace}`);
      },
    };
  });
});

afterEach(async () => {
  await studio.close();
  await rm(base, { recursive: true, force: true });
});

/** The refusal a call ends with. */
async function refusal(work: Promise<unknown>): Promise<StudioError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

describe('a studio whose workspace changes', () => {
  it('moves to the folder asked for (made if missing): its sets are the new folder’s, every page is told, and the old one’s come back with it', async () => {
    const api = createDirectClient(studio.dispatch, studio.events);
    await api.call('datasets.save', { name: 'moons in a', source: { id: 'two-moons', count: 50, seed: 1 } });
    const seen: string[] = [];
    api.on('app.workspaceChanged', ({ workspace }) => seen.push(workspace));
    const b = join(base, 'deep', 'b');
    expect(await api.call('app.changeWorkspace', { path: b })).toEqual({ workspace: b });
    expect((await stat(b)).isDirectory()).toBe(true);
    expect((await api.call('app.info', {})).workspace).toBe(b);
    expect(studio.workspace).toBe(b);
    expect(await api.call('datasets.saved', {})).toEqual([]);
    expect(seen).toEqual([b]);
    expect(log).toEqual([`open ${join(base, 'a')}`, `closed ${join(base, 'a')}`, `open ${b}`]);
    // the same folder again changes nothing
    expect(await api.call('app.changeWorkspace', { path: b + '/' })).toEqual({ workspace: b });
    expect(opened).toHaveLength(2);
    await api.call('app.changeWorkspace', { path: join(base, 'a') });
    expect((await api.call('datasets.saved', {})).map((d) => d.name)).toEqual(['moons in a']);
    expect(seen).toEqual([b, join(base, 'a')]);
  });

  it("passes on the open host's events only", async () => {
    const events: EventName[] = [];
    studio.events.onAny((event) => events.push(event));
    await createDirectClient(studio.dispatch, studio.events).call('app.changeWorkspace', { path: join(base, 'b') });
    events.length = 0;
    opened[0].events.emit('datasets.changed', { saved: [] });
    expect(events).toEqual([]);
    opened[1].events.emit('datasets.changed', { saved: [] });
    expect(events).toEqual(['datasets.changed']);
  });

  it('refuses a relative path and a file, naming the path field, and stays where it was', async () => {
    const api = createDirectClient(studio.dispatch, studio.events);
    const relative = await refusal(api.call('app.changeWorkspace', { path: 'elsewhere' }));
    expect(relative.message).toBe("elsewhere cannot be the workspace: give the folder's full path on the studio's machine");
    expect(relative.details).toEqual([{ path: ['path'], message: "give the folder's full path on the studio's machine" }]);
    await writeFile(join(base, 'file'), 'x');
    expect((await refusal(api.call('app.changeWorkspace', { path: join(base, 'file') }))).message).toBe(`${join(base, 'file')} cannot be the workspace: a file is in the way`);
    expect((await refusal(api.call('app.changeWorkspace', { path: join(base, 'file', 'below') }))).message).toBe(`${join(base, 'file', 'below')} cannot be the workspace: a file is in the way`);
    expect((await api.call('app.info', {})).workspace).toBe(join(base, 'a'));
    expect(opened).toHaveLength(1);
  });

  it('takes changes asked at once one after the other: each host closes before the next opens', async () => {
    const api = createDirectClient(studio.dispatch, studio.events);
    const [b, c] = [join(base, 'b'), join(base, 'c')];
    await Promise.all([api.call('app.changeWorkspace', { path: b }), api.call('app.changeWorkspace', { path: c })]);
    expect(log).toEqual([`open ${join(base, 'a')}`, `closed ${join(base, 'a')}`, `open ${b}`, `closed ${b}`, `open ${c}`]);
    expect((await api.call('app.info', {})).workspace).toBe(c);
  });

  it('hands files given during a change to the host being opened', async () => {
    const api = createDirectClient(studio.dispatch, studio.events);
    await writeFile(join(base, 'points.csv'), 'x\n1\n');
    const moving = api.call('app.changeWorkspace', { path: join(base, 'b') });
    await studio.openFiles(['points.csv'], base);
    await moving;
    expect((await api.call('files.takeOpened', {})).files.map((f) => f.name)).toEqual(['points.csv']);
    expect((await createDirectClient(opened[0].dispatch, opened[0].events).call('files.takeOpened', {})).files).toEqual([]);
  });

  it('a host made without the means to change refuses in its own words', async () => {
    const fixed = createStudioHost({ workspace: join(base, 'x'), version: 't', host: 'electron' });
    try {
      const err = await refusal(createDirectClient(fixed.dispatch, fixed.events).call('app.changeWorkspace', { path: join(base, 'y') }));
      expect(err.message).toBe('The desktop app changes its workspace from File > Change Workspace….');
    } finally {
      await fixed.close();
    }
  });
});
