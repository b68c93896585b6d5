// The recent workspaces and files a person opened, kept in their settings folder (recent.json, written atomically), newest first.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write';

/** The kinds of entry the list keeps, each its own list. */
const RECENT_KINDS = ['workspaces', 'files'] as const;
type RecentKind = (typeof RECENT_KINDS)[number];

/** Entries kept per kind: the oldest one goes when a new one comes. */
export const RECENT_MAX = 10;

/** The file the list lives in, inside the settings folder. */
const RECENT_FILE = 'recent.json';

const recentSchema = z.object(Object.fromEntries(RECENT_KINDS.map((k) => [k, z.array(z.string().min(1).max(4096)).max(100)])) as Record<RecentKind, z.ZodArray<z.ZodString>>);

/** The lists as the menu and the page show them. */
type RecentLists = Readonly<Record<RecentKind, readonly string[]>>;

/** The lists, with a note for each entry dropped because it is no longer there (or for a settings file that could not be read). */
interface RecentRead {
  readonly lists: RecentLists;
  /** The entries taken off each list for being gone. */
  readonly pruned: RecentLists;
  readonly notes: readonly string[];
}

const empty = (): Record<RecentKind, string[]> => ({ workspaces: [], files: [] });

/** True where the path is still there as the kind expects (a folder for a workspace, a file for a file). */
async function present(kind: RecentKind, path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return kind === 'workspaces' ? s.isDirectory() : s.isFile();
  } catch {
    return false;
  }
}

/** The recent lists of one settings folder; every change is written whole and atomically before it is reported. */
export class RecentList {
  private readonly file: string;
  // one write at a time, in the order they were asked for
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly settingsDir: string) {
    this.file = join(settingsDir, RECENT_FILE);
  }

  private async load(): Promise<{ lists: Record<RecentKind, string[]>; note: string | null }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lists: empty(), note: null };
      return { lists: empty(), note: `The list of recent workspaces and files could not be read (${(err as Error).message}); it starts afresh.` };
    }
    try {
      const parsed = recentSchema.safeParse(JSON.parse(text));
      if (parsed.success) return { lists: { workspaces: parsed.data.workspaces, files: parsed.data.files }, note: null };
    } catch {
      // not JSON: said below
    }
    return { lists: empty(), note: `The list of recent workspaces and files in ${this.file} was damaged; it starts afresh.` };
  }

  private save(lists: Record<RecentKind, string[]>): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify(lists, null, 2) + '\n');
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Puts a path first in its list (moved up if it was there), dropping the oldest beyond RECENT_MAX. */
  add(kind: RecentKind, path: string): Promise<RecentLists> {
    return this.serial(async () => {
      const { lists } = await this.load();
      const full = resolve(path);
      lists[kind] = [full, ...lists[kind].filter((p) => p !== full)].slice(0, RECENT_MAX);
      await this.save(lists);
      return lists;
    });
  }

  /** The lists with entries no longer on disk dropped (and the file rewritten without them), each drop told in a note. */
  read(): Promise<RecentRead> {
    return this.serial(async () => {
      const { lists, note } = await this.load();
      const notes = note ? [note] : [];
      const pruned = empty();
      for (const kind of RECENT_KINDS) {
        const kept: string[] = [];
        for (const path of lists[kind]) {
          if (await present(kind, path)) kept.push(path);
          else {
            pruned[kind].push(path);
            notes.push(`${path} is no longer there; it was taken off the recent ${kind}.`);
          }
        }
        lists[kind] = kept;
      }
      if (note || RECENT_KINDS.some((k) => pruned[k].length > 0)) await this.save(lists);
      return { lists, pruned, notes };
    });
  }
}
