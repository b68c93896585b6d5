// Files handed to a running studio by path (argv, the OS's open-file, File > Open File…), checked and kept until a page takes them.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventHub } from '../../src-core/api/event-hub';
import { OPENABLE_FILES, opensAs, type OpenedFile } from '../../src-core/api/methods/files';
import type { Result } from '../../src-core/api/contract';

/** Files and notes kept for the page at most; older ones go first (a page that never comes must not grow it without end). */
const KEPT_MAX = 50;

/** The extensions the studio opens, for a refusal's text. */
const KNOWN = OPENABLE_FILES.map((f) => `.${f.ext}`).join(', ');

/** A path checked: the file to open, or the note saying why it is not opened. */
async function checkOpened(path: string, cwd: string): Promise<{ file: OpenedFile } | { note: string }> {
  let local = path;
  // Linux file managers hand a .desktop's %U as file:// URLs
  if (/^file:\/\//i.test(path)) {
    try {
      local = fileURLToPath(path);
    } catch {
      return { note: `${path} cannot be opened: it is not a file on this machine.` };
    }
  }
  const full = isAbsolute(local) ? resolve(local) : resolve(cwd, local);
  const name = basename(full);
  const kind = opensAs(name);
  if (kind === null) return { note: `${name} cannot be opened here: the studio opens ${KNOWN} files.` };
  try {
    if (!(await stat(full)).isFile()) return { note: `${name} cannot be opened: ${full} is not a file.` };
  } catch {
    return { note: `${name} cannot be opened: there is no file at ${full}.` };
  }
  return { file: { path: full, name, opensAs: kind } };
}

/** The files handed to one studio, waiting for its page; 'files.opened' tells a page that some are there. */
export class OpenQueue {
  private files: OpenedFile[] = [];
  private notes: string[] = [];
  // checks finish in the order the paths came
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly events: EventHub) {}

  /** Checks the paths (relative ones against cwd) and keeps them, in order; settles once they are waiting. */
  add(paths: readonly string[], cwd: string): Promise<void> {
    const checked = Promise.all(paths.map((p) => checkOpened(p, cwd)));
    this.chain = this.chain.then(async () => {
      for (const c of await checked) {
        if ('file' in c) this.files.push(c.file);
        else this.notes.push(c.note);
      }
      this.files = this.files.slice(-KEPT_MAX);
      this.notes = this.notes.slice(-KEPT_MAX);
      const waiting = this.files.length + this.notes.length;
      if (waiting > 0) this.events.emit('files.opened', { waiting });
    });
    return this.chain;
  }

  /** Hands the waiting files and notes over, leaving none. */
  take(): Result<'files.takeOpened'> {
    const out = { files: this.files, notes: this.notes };
    this.files = [];
    this.notes = [];
    return out;
  }
}
