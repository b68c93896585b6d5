// The file operations that change a workspace, as one injectable seam: node:fs/promises in the studio, a crash-simulating layer in tests.
import { mkdir, open, rename, rm } from 'node:fs/promises';

/** An open file as the durable writers use it (node's FileHandle has this shape). */
export interface WritableFile {
  /** Writes the data from the current position (the start, for a file opened with 'w'). */
  writeFile(data: string | Uint8Array): Promise<void>;
  /** Writes the data at the end of the file. */
  appendFile(data: string | Uint8Array): Promise<void>;
  truncate(length: number): Promise<void>;
  /** fsync: what was written so far survives a crash or a power loss. */
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/**
 * Every change a durable writer makes to the disk goes through one of these; reads go to node:fs directly. Tests pass a
 * layer that records the writes and syncs and then drops or tears the unsynced ones, as a crash or a power loss would.
 */
export interface FileSystem {
  /** 'w' creates or empties a file, 'a+' opens one for appending (creating it), 'r' opens a file or folder (to fsync it). */
  open(path: string, flags: 'w' | 'a+' | 'r', mode?: number): Promise<WritableFile>;
  /** Creates one folder; fails with EEXIST when it is there. */
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options?: { readonly recursive?: boolean; readonly force?: boolean }): Promise<void>;
}

/** The real file system. */
export const nodeFileSystem: FileSystem = {
  open: (path, flags, mode) => open(path, flags, mode),
  mkdir: async (path) => {
    await mkdir(path);
  },
  rename: (from, to) => rename(from, to),
  rm: (path, options) => rm(path, options),
};
