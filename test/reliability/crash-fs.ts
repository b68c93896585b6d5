// A file system that crashes on cue: it mirrors every change onto a real folder, records what was synced, and at the k-th write, sync or rename stops; the disk is then what a power loss could leave.
//
// The model is POSIX's promise and no more: data written to a file survives only after fsync of that file, a new name,
// a rename or a removal only after fsync of its folder. At the crash each unsynced write is dropped, kept, or torn (a
// prefix kept, sometimes with the rest zero-filled as an allocated but unwritten block), each unsynced folder change is
// kept or dropped on its own, in any combination: harsher than any real file system, which keeps some order.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Rng } from '../../src-core/rng';
import type { FileSystem, WritableFile } from '../../src-main/workspace/file-system';

type FileOp = { readonly kind: 'write'; readonly offset: number; readonly bytes: Buffer } | { readonly kind: 'truncate'; readonly length: number };

interface FileNode {
  readonly kind: 'file';
  data: Buffer;
  durable: Buffer;
  pending: FileOp[];
}

type DirOp = { readonly kind: 'link'; readonly name: string; readonly node: Node } | { readonly kind: 'unlink'; readonly name: string } | { readonly kind: 'rename'; readonly from: string; readonly to: string; readonly node: Node };

interface DirNode {
  readonly kind: 'dir';
  entries: Map<string, Node>;
  durable: Map<string, Node>;
  pending: DirOp[];
}

type Node = FileNode | DirNode;

/** What every operation throws once the simulated machine has crashed. */
export class SimulatedCrash extends Error {
  readonly code = 'EIO';
  constructor(readonly op: number) {
    super(`simulated crash at operation ${op}`);
  }
}

function fsError(code: string, path: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${path}`) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

const newDir = (): DirNode => ({ kind: 'dir', entries: new Map(), durable: new Map(), pending: [] });
const newFile = (): FileNode => ({ kind: 'file', data: Buffer.alloc(0), durable: Buffer.alloc(0), pending: [] });

function applyWrite(b: Buffer, offset: number, bytes: Buffer): Buffer {
  const out = Buffer.alloc(Math.max(b.length, offset + bytes.length));
  b.copy(out);
  bytes.copy(out, offset);
  return out;
}

function resize(b: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  b.copy(out, 0, 0, Math.min(length, b.length));
  return out;
}

function applyDirOp(entries: Map<string, Node>, op: DirOp): void {
  if (op.kind === 'link') entries.set(op.name, op.node);
  else if (op.kind === 'unlink') entries.delete(op.name);
  else {
    entries.delete(op.from);
    entries.set(op.to, op.node);
  }
}

/** A crash-simulating FileSystem over an empty real folder (taken as durable); crashAt null never crashes. */
export class CrashFs implements FileSystem {
  /** Writes, syncs and folder changes so far (each one is a point where the crash may come). */
  ops = 0;
  /** Counts of each kind of operation, for the report. */
  readonly counts = { write: 0, sync: 0, folder: 0 };
  crashed: SimulatedCrash | null = null;
  private readonly root = newDir();

  constructor(
    private readonly rootPath: string,
    private readonly crashAt: number | null,
  ) {}

  /** Counts one operation; at the crash point records it as unfinished (so it may half-happen) and throws. */
  private step(kind: keyof CrashFs['counts'], unfinished: () => void): void {
    if (this.crashed) throw this.crashed;
    this.ops++;
    this.counts[kind]++;
    if (this.crashAt !== null && this.ops >= this.crashAt) {
      unfinished();
      this.crashed = new SimulatedCrash(this.ops);
      throw this.crashed;
    }
  }

  private parts(path: string): string[] {
    const rel = relative(this.rootPath, path);
    if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${path} is outside the simulated folder ${this.rootPath}`);
    return rel === '' ? [] : rel.split(sep);
  }

  private lookup(path: string): Node | undefined {
    let node: Node = this.root;
    for (const name of this.parts(path)) {
      if (node.kind !== 'dir') return undefined;
      const next: Node | undefined = node.entries.get(name);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private parentOf(path: string): { dir: DirNode; name: string } {
    const parts = this.parts(path);
    if (parts.length === 0) throw new Error('the simulated root has no parent');
    const dir = this.lookup(dirname(path));
    if (!dir || dir.kind !== 'dir') throw fsError('ENOENT', path);
    return { dir, name: parts[parts.length - 1] };
  }

  async open(path: string, flags: 'w' | 'a+' | 'r'): Promise<WritableFile> {
    if (this.crashed) throw this.crashed;
    let node = this.lookup(path);
    if (flags === 'r') {
      if (!node) throw fsError('ENOENT', path);
    } else {
      if (node?.kind === 'dir') throw fsError('EISDIR', path);
      if (!node) {
        const { dir, name } = this.parentOf(path);
        const created = newFile();
        this.step('folder', () => dir.pending.push({ kind: 'link', name, node: created }));
        dir.entries.set(name, created);
        dir.pending.push({ kind: 'link', name, node: created });
        node = created;
        await writeFile(path, '');
      } else if (flags === 'w') {
        const file = node;
        this.step('write', () => file.pending.push({ kind: 'truncate', length: 0 }));
        file.data = Buffer.alloc(0);
        file.pending.push({ kind: 'truncate', length: 0 });
        await writeFile(path, '');
      }
    }
    return this.handle(node, path);
  }

  private handle(node: Node, path: string): WritableFile {
    let position = 0;
    const write = async (data: string | Uint8Array, at: 'position' | 'end'): Promise<void> => {
      if (node.kind !== 'file') throw fsError('EISDIR', path);
      const bytes = Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      const offset = at === 'end' ? node.data.length : position;
      const op: FileOp = { kind: 'write', offset, bytes };
      this.step('write', () => node.pending.push(op));
      node.data = applyWrite(node.data, offset, bytes);
      node.pending.push(op);
      if (at === 'position') position += bytes.length;
      await writeFile(path, node.data);
    };
    return {
      writeFile: (data) => write(data, 'position'),
      appendFile: (data) => write(data, 'end'),
      truncate: async (length) => {
        if (node.kind !== 'file') throw fsError('EISDIR', path);
        const op: FileOp = { kind: 'truncate', length };
        this.step('write', () => node.pending.push(op));
        node.data = resize(node.data, length);
        node.pending.push(op);
        await writeFile(path, node.data);
      },
      sync: async () => {
        this.step('sync', () => undefined);
        if (node.kind === 'file') {
          node.durable = Buffer.from(node.data);
          node.pending = [];
        } else {
          node.durable = new Map(node.entries);
          node.pending = [];
        }
      },
      stat: async () => {
        if (this.crashed) throw this.crashed;
        return { size: node.kind === 'file' ? node.data.length : 0 };
      },
      close: async () => {
        if (this.crashed) throw this.crashed;
      },
    };
  }

  async mkdir(path: string): Promise<void> {
    if (this.crashed) throw this.crashed;
    const { dir, name } = this.parentOf(path);
    if (dir.entries.has(name)) throw fsError('EEXIST', path);
    const created = newDir();
    const op: DirOp = { kind: 'link', name, node: created };
    this.step('folder', () => dir.pending.push(op));
    dir.entries.set(name, created);
    dir.pending.push(op);
    await mkdir(path);
  }

  async rename(from: string, to: string): Promise<void> {
    if (this.crashed) throw this.crashed;
    const a = this.parentOf(from);
    const b = this.parentOf(to);
    if (a.dir !== b.dir) throw new Error(`the simulated file system renames only within a folder: ${from} -> ${to}`);
    const node = a.dir.entries.get(a.name);
    if (!node) throw fsError('ENOENT', from);
    const op: DirOp = { kind: 'rename', from: a.name, to: b.name, node };
    this.step('folder', () => a.dir.pending.push(op));
    applyDirOp(a.dir.entries, op);
    a.dir.pending.push(op);
    await rename(from, to);
  }

  async rm(path: string, options: { readonly recursive?: boolean; readonly force?: boolean } = {}): Promise<void> {
    if (this.crashed) throw this.crashed;
    const node = this.lookup(path);
    if (!node) {
      if (options.force) return;
      throw fsError('ENOENT', path);
    }
    if (node.kind === 'dir' && node.entries.size > 0 && !options.recursive) throw fsError('ENOTEMPTY', path);
    const { dir, name } = this.parentOf(path);
    const op: DirOp = { kind: 'unlink', name };
    this.step('folder', () => dir.pending.push(op));
    dir.entries.delete(name);
    dir.pending.push(op);
    await rm(path, { recursive: true, force: true });
  }

  /** Writes onto an empty folder what the disk could hold after the crash, each unsynced change drawn from seed. */
  async materialise(dest: string, seed: number): Promise<void> {
    const rng = new Rng(seed);
    const contents = new Map<FileNode, Buffer>();
    const listings = new Map<DirNode, Map<string, Node>>();
    const contentOf = (f: FileNode): Buffer => {
      let b = contents.get(f);
      if (b) return b;
      b = Buffer.from(f.durable);
      for (const op of f.pending) {
        const u = rng.uniform();
        if (u < 1 / 3) continue; // dropped
        if (op.kind === 'truncate') b = resize(b, op.length);
        else if (u < 2 / 3) b = applyWrite(b, op.offset, op.bytes);
        else {
          // torn: a prefix reached the disk; the block may show zeros beyond it
          const kept = rng.int(op.bytes.length + 1);
          const torn = Buffer.from(op.bytes);
          torn.fill(0, kept);
          b = applyWrite(b, op.offset, rng.uniform() < 0.5 ? torn : torn.subarray(0, kept));
        }
      }
      contents.set(f, b);
      return b;
    };
    const listingOf = (d: DirNode): Map<string, Node> => {
      let m = listings.get(d);
      if (m) return m;
      m = new Map(d.durable);
      for (const op of d.pending) if (rng.uniform() < 0.5) applyDirOp(m, op);
      listings.set(d, m);
      return m;
    };
    const write = async (d: DirNode, path: string, depth: number): Promise<void> => {
      if (depth > 32) throw new Error('the simulated folders nest too deep (a cycle?)');
      for (const [name, node] of listingOf(d)) {
        const at = join(path, name);
        if (node.kind === 'dir') {
          await mkdir(at);
          await write(node, at, depth + 1);
        } else await writeFile(at, contentOf(node));
      }
    };
    await mkdir(dest, { recursive: true });
    await write(this.root, dest, 0);
  }
}
